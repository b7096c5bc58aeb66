"""Sentences of the routes, asylum and legal-aid answers and of the guided finder.

Same conventions as `bot/messages.py` (which merges this registry into MESSAGES). The facts
themselves (route names, who can apply, costs, reasons...) are content in
`data/content/routes/`, sent as {"t": english} and translated from the content catalog.
"""

from __future__ import annotations

from typing import Final

from bot.messages import message

ROUTE_MESSAGES: Final[dict[str, str]] = dict(
    (
        # A route or topic, from the content
        message("content_checked", "Source: {source} (checked on {date})"),
        message("route_heading", "▪ {name}"),
        message("route_kind_heading", "▪ {name}: {topic}"),
        message("route_for_whom", "Who it is for: {text}"),
        message("route_eligibility", "Who qualifies: {text}"),
        message("route_cost", "Cost: {text}"),
        message("route_watch_out", "Be careful:"),
        message("route_bullet", "• {text}"),
        message("route_status_open", "Open to applications, as far as we know."),
        message("route_status_paused", "Paused: no new applications are taken for now."),
        message("route_status_closed", "Closed to new applications."),
        message(
            "route_status_referral_only",
            "You cannot apply for this yourself: people are referred, for example by UNHCR.",
        ),
        message("route_status_uncertain", "We could not confirm whether this route is open now."),
        message(
            "route_not_legal_advice",
            "This is general information, not legal advice. A free legal adviser can check "
            "your own situation in confidence.",
        ),
        # No route named: overviews
        message(
            "routes_choose",
            "Choose a route to read about it, or answer a few questions to see which routes "
            "may fit you.",
        ),
        message("route_which_country", "Are you asking about the UK or about France?"),
        # Not covered by the content: say so, and hand over to free legal advice
        message(
            "route_no_reliable_info",
            "I do not have reliable information on that, so I will not guess. "
            "If I misunderstood you, try other words or choose a button.",
        ),
        message(
            "route_legal_handover",
            "A free legal adviser can answer questions about your own situation, in "
            "confidence. I can help you find free legal advice near you. Never pay someone "
            "who promises you a visa or papers.",
        ),
        # The guided route finder
        message(
            "finder_intro",
            "I will ask you up to 4 short questions to see which routes may fit you. You can "
            "skip any of them. Your answers are only used for this, and are not kept after "
            "this conversation.",
        ),
        message("finder_question", "Question {number} of {total}: {question}"),
        message("finder_hint_choose", "Please choose one of the buttons, or skip this question."),
        message("finder_hint_yes_no", "Please answer yes or no, or skip this question."),
        message("finder_result_intro", "These routes may fit what you told me, the most likely first:"),
        message(
            "finder_result_none",
            "I did not find a route that fits these answers. A free legal adviser can look at "
            "your situation with you.",
        ),
        message("finder_result_route", "{number}. {name}"),
        message(
            "finder_result_more",
            "Other routes may also fit you: ask me about safe routes to see them all.",
        ),
        message(
            "finder_no_nationality_scheme",
            "We do not know of a special UK scheme for your nationality. The routes below do "
            "not depend on nationality.",
        ),
        # Buttons: the finder
        message("btn_finder", "Which routes fit me?"),
        message("btn_finder_skip", "Skip this question"),
        message("btn_finder_done", "Show routes now"),
        message("btn_yes", "Yes"),
        message("btn_no", "No"),
        message("btn_finder_location_uk", "In the UK"),
        message("btn_finder_location_france", "In France"),
        message("btn_finder_location_elsewhere", "Somewhere else"),
        message("btn_finder_nationality_afghanistan", "Afghan"),
        message("btn_finder_nationality_ukraine", "Ukrainian"),
        message("btn_finder_nationality_hong_kong", "Hong Kong (BN(O))"),
        message("btn_finder_nationality_sudan", "Sudanese"),
        message("btn_finder_nationality_eritrea", "Eritrean"),
        message("btn_finder_nationality_syria", "Syrian"),
        message("btn_finder_nationality_iran", "Iranian"),
        message("btn_finder_nationality_other", "Another nationality"),
        # Buttons: kinds of question about a route (also used as topic titles)
        message("btn_kind_who_can_apply", "Who can apply"),
        message("btn_kind_children_family", "Children and family"),
        message("btn_kind_how_long", "How long it takes"),
        message("btn_kind_cost", "Cost"),
        message("btn_kind_how_to_apply", "How to apply"),
        message("btn_kind_risks", "Risks and scams"),
        # Buttons: routes (short names; one per entry id of data/content/routes/)
        message("btn_route_uk_refugee_family_reunion", "Family reunion (UK)"),
        message("btn_route_uk_homes_for_ukraine", "Homes for Ukraine"),
        message("btn_route_uk_ukraine_permission_extension", "Ukraine Permission Extension"),
        message("btn_route_uk_resettlement_scheme", "Resettlement through UNHCR"),
        message("btn_route_uk_mandate_resettlement", "Mandate resettlement"),
        message("btn_route_uk_community_sponsorship", "Community sponsorship"),
        message("btn_route_uk_acrs", "Afghan resettlement (ACRS)"),
        message("btn_route_uk_arap", "Afghan relocations (ARAP)"),
        message("btn_route_uk_bno_visa", "Hong Kong BN(O) visa"),
        message("btn_route_uk_study_work", "Study and work visas"),
        message("btn_route_uk_seasonal_worker", "Seasonal farm work visa"),
        message("btn_route_uk_claim_asylum", "Asylum in the UK"),
        message("btn_route_uk_asylum_support", "Asylum support (UK)"),
        message("btn_route_uk_legal_aid_asylum", "Free legal advice (UK)"),
        message("btn_route_uk_modern_slavery_nrm", "Help for victims of trafficking (UK)"),
        message("btn_route_uk_children_alone", "Children alone (UK)"),
        message("btn_route_uk_france_transfer_scheme", "UK-France pilot"),
        message("btn_route_fr_claim_asylum", "Asylum in France"),
        message("btn_route_dangers_irregular_crossings", "Dangers of crossings"),
    )
)
