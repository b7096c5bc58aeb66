"""Every sentence the assistant can say, in English, keyed by message name.

Rasa responses, custom actions and the channel front ends name these messages; only
`bot.render` turns a name into text, through the gettext catalogs in `locales/`.
Babel extracts them with the keywords `message:1c,2` and `plural_message:1c,2,3`:
the message name becomes the gettext context (msgctxt), the English text the msgid.
"""

from __future__ import annotations

from typing import Final


def message(name: str, english: str) -> tuple[str, str]:
    """Mark one translatable message (the name is its gettext context)."""
    return name, english


# Placeholders use str.format syntax: {name}. Translators keep them as they are.
CORE_MESSAGES: Final[dict[str, str]] = dict(
    (
        # Greeting, start and menu
        message(
            "greet",
            "Hello. I am a free and confidential helper for people on the move. "
            "I do not work for the police or for immigration, "
            "and I will never ask for your documents or for money.",
        ),
        message(
            "what_i_do",
            "I can help you with:\n"
            "• safe and legal routes\n"
            "• how to claim asylum\n"
            "• free legal help\n"
            "• help centres near you\n"
            "• checking a job offer for signs of a scam or trafficking\n"
            "• emergency numbers\n"
            "Choose a button or write your question in your own words.",
        ),
        message(
            "safety_line",
            "If someone else may look at this phone, type /exit at any time "
            "to delete the recent messages of this chat.",
        ),
        message("menu", "What do you need? Choose a button or write your question."),
        message("goodbye", "Take care. You can write to me again at any time."),
        message("thanks", "You are welcome. Is there anything else I can help with?"),
        # Topics (short overviews; detailed, sourced content comes from data/)
        message(
            "safe_routes_overview",
            "Safe and legal routes exist for some people: joining a family member who has "
            "refugee status, resettlement through the UN Refugee Agency (UNHCR), special "
            "schemes for some nationalities, and study or work visas. Whether one fits you "
            "depends on your situation. A free legal adviser can check this with you "
            "in confidence.",
        ),
        message(
            "claim_asylum_overview",
            "Claiming asylum is free: nobody may charge you money to apply. The steps are "
            "different in the United Kingdom and in France. A free legal adviser can explain "
            "them and help you prepare for the interview.",
        ),
        message(
            "legal_aid_overview",
            "Free legal advice on asylum and immigration is given by charities and by "
            "legal aid lawyers. Only take advice from a registered adviser or a known "
            "organisation, and never pay someone who promises you a visa or papers. "
            "I can look for free legal help near you.",
        ),
        message(
            "find_help_ask",
            "I can look for help centres near you. Send me the name of your town or city, "
            "or share your location: it is used for this one search and never stored.",
        ),
        message(
            "check_job_ask",
            "Send me the job offer: paste the text or forward the message. I will look for "
            "signs of a scam or of trafficking and explain each one.",
        ),
        # Help centres
        message("help_results_place", "Help near {place}:"),
        message("help_results_location", "Help near you:"),
        message(
            "help_results_none",
            "I did not find a help centre near there in my list. "
            "You can still call the helplines in the emergency menu.",
        ),
        message(
            "place_not_found",
            "I could not find this place. Write the name of the nearest town or city, "
            "or share your location.",
        ),
        message("hc_title", "▪ {organization}: {service}"),
        message("hc_title_distance", "▪ {organization}: {service} ({distance})"),
        message("hc_title_city", "▪ {organization}: {service} (in {city})"),
        message("hc_temporarily_closed", "Temporarily closed."),
        message("hc_alert", "Note: {alert}"),
        message("hc_services", "Helps with: {services}"),
        message("hc_languages", "Languages: {languages}"),
        message("hc_open_today", "Open today: {hours}"),
        message("hc_closed_today", "Closed today."),
        message("hc_phone", "Phone: {phone}"),
        message("hc_address", "Address: {address}"),
        message("hc_address_withheld", "Address given by phone only (a confidential place)."),
        message("hc_website", "Website: {website}"),
        message("hc_verified", "Last verified: {date}"),
        message("hc_stale", "Last verified: {date}, a long time ago. Call before you go."),
        message(
            "hc_not_verified",
            "Not yet verified by our team. Call or check the website before you go.",
        ),
        # Job offers
        message(
            "offer_risk_high",
            "⚠️ High risk. This offer has serious warning signs of a scam or of trafficking. "
            "Do not pay, do not send documents and do not travel before you check.",
        ),
        message(
            "offer_risk_medium",
            "Some warning signs. Check carefully before you answer or send anything.",
        ),
        message(
            "offer_risk_low",
            "I found no red flag in this offer. That does not mean it is safe: check the company "
            "on its own official website, and get a written contract you can read before you travel.",
        ),
        message("offer_flag_title", "⚑ {title}"),
        message("offer_quote", "In the offer: “{words}”"),
        message("offer_flag_advice", "→ {advice}"),
        message("offer_helplines", "If you are unsure, or already in this situation, you can call:"),
        message(
            "situation_intro",
            "What you describe can be exploitation. It is not your fault, and help is free "
            "and confidential.",
        ),
        message("situation_signs", "What I noticed in your message:"),
        message(
            "ocr_unavailable",
            "I cannot read pictures here. Please copy the text of the offer and send it as a message.",
        ),
        message(
            "ocr_no_text",
            "I could not read any text in this picture. Please copy the text of the offer "
            "and send it as a message.",
        ),
        # Emergency
        message("emergency_intro", "If you are in danger now, call the emergency number."),
        message("helpline_country", "{country}:"),
        message("helpline_line", "• {name}: {number} ({hours})"),
        message(
            "emergency_outro",
            "This chat does not report anyone. If you cannot talk safely now, "
            "you can call the helpline later.",
        ),
        # Language
        message("choose_language", "Choose your language:"),
        message("language_set", "I will write to you in English."),
        message(
            "not_translated_note",
            "Part of this answer is not yet available in your language.",
        ),
        # Privacy and forgetting
        message(
            "privacy",
            "What I keep, and for how long:\n"
            "• This conversation and your language choice, under a coded number, "
            "not your name or your Telegram account. They are deleted {hours} hours "
            "after your last message.\n"
            "• A place or a location you send is used for that one search and never stored.\n"
            "• Telegram keeps its own copy of this chat: you can delete it in the app.\n"
            "Who can see it: the people who run this service, only to fix problems, "
            "and Telegram. We do not share it with the police or with immigration.\n"
            "Type /forget to delete everything now, or /exit to delete the recent "
            "messages of this chat.",
        ),
        message(
            "forget_confirm",
            "Do you want me to delete everything I keep about you: this conversation "
            "and your language choice?",
        ),
        message("forget_done", "Done. I have deleted everything I kept about you."),
        message("forget_cancelled", "Nothing was deleted."),
        message(
            "forget_failed",
            "I could not delete everything right now. Please try again in a minute. "
            "Whatever is left is deleted anyway {hours} hours after your last message.",
        ),
        # Not understood
        message(
            "out_of_scope",
            "Sorry, I can only help with safe routes, asylum, legal help, help centres, "
            "job offers and emergencies.",
        ),
        message(
            "fallback",
            "Sorry, I did not understand. Choose one of the options below, "
            "or write it in other words.",
        ),
        message(
            "degraded",
            "I cannot answer everything right now. Here is what I can give you straight away:",
        ),
        message("unknown_command", "I do not know this command. Here is the menu:"),
        message("slow_down", "You are sending messages very fast. Please wait a moment."),
        # Terminal chat
        message("terminal_choose", "Type a number to choose, or write your question."),
        # Buttons
        message("btn_routes", "Safe routes"),
        message("btn_asylum", "Claim asylum"),
        message("btn_legal_aid", "Free legal help"),
        message("btn_find_help", "Help near me"),
        message("btn_job_offer", "Check a job offer"),
        message("btn_emergency", "Emergency"),
        message("btn_language", "Language"),
        message("btn_privacy", "Privacy"),
        message("btn_menu", "Menu"),
        message("btn_forget_yes", "Yes, delete everything"),
        message("btn_forget_no", "No, keep it"),
    )
)


def _all_messages() -> dict[str, str]:
    from bot.messages_routes import ROUTE_MESSAGES
    from bot.messages_telegram import TELEGRAM_MESSAGES

    merged = dict(CORE_MESSAGES)
    for registry in (TELEGRAM_MESSAGES, ROUTE_MESSAGES):
        for name, english in registry.items():
            if name in merged:
                raise ValueError(f"message {name!r} is defined twice")
            merged[name] = english
    return merged


MESSAGES: Final[dict[str, str]] = _all_messages()
