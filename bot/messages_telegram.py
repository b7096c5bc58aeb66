"""Sentences only the Telegram front end says, in English, keyed by message name.

Same conventions as `bot/messages.py` (which merges this registry into MESSAGES).
"""

from __future__ import annotations

from typing import Final

from bot.messages import message

TELEGRAM_MESSAGES: Final[dict[str, str]] = dict(
    (
        # Quick exit (/exit): one neutral line, then how to make the chat delete itself.
        message("exit_done", "Chat cleared."),
        message(
            "privacy_telegram",
            "On Telegram I also keep the numbers (not the text) of this chat's messages for 48 hours, "
            "so that /exit can delete them. Telegram itself sees your account and all messages.",
        ),
        message(
            "autodelete_howto",
            "To make this chat delete itself: open the chat, tap the name at the top, "
            "then ⋮ or the pencil, choose \"Auto-delete messages\" and pick 1 day.",
        ),
        # The command list Telegram shows next to the text field (short: one line each).
        message("command_start", "Start"),
        message("command_menu", "Show the menu"),
        message("command_language", "Change the language"),
        message("command_help", "What I can help with"),
        message("command_privacy", "What is kept, and for how long"),
        message("command_forget", "Delete everything kept about you"),
        message("command_exit", "Quick exit: delete the recent messages of this chat"),
        # Files: anyone who is not NGO staff (the file is never downloaded).
        message(
            "file_refused",
            "Thank you, but I do not open files sent here. To check a job offer, paste its text "
            "or send a screenshot of it.",
        ),
        # NGO staff: updating the help-centre directory from a file. Problems and changes are
        # listed below these sentences, in the directory's own words (file, row, field).
        message(
            "staff_file_type",
            "I can only import the directory file: the data package (.json) made by "
            "\"python -m bot directory export\", or a .zip of the CSV files. Nothing was changed.",
        ),
        message(
            "staff_file_too_large",
            "This file is too large ({size_mb} MB); the limit is {limit_mb} MB. Nothing was changed.",
        ),
        message(
            "staff_file_not_downloaded",
            "I could not download this file from Telegram. Please send it again. Nothing was changed.",
        ),
        message(
            "staff_zip_unreadable",
            "This .zip file cannot be opened: it is damaged, protected by a password or packed in "
            "an unusual way. Nothing was changed.",
        ),
        message(
            "staff_zip_too_many",
            "This .zip file holds more than {count} files. Put only the CSV files of the directory "
            "in it. Nothing was changed.",
        ),
        message(
            "staff_zip_duplicate",
            "This .zip file holds {file} more than once: keep one copy only. Nothing was changed.",
        ),
        message(
            "staff_problems",
            "I found {count} problem(s) in {file}, so nothing was changed. "
            "Fix them and send the file again:",
        ),
        message("staff_problems_more", "… and {count} more problem(s)."),
        message("staff_no_changes", "No changes: the directory already matches {file}."),
        message("staff_changes", "{file} would make these changes to the directory:"),
        message("staff_changes_more", "… and {count} more line(s)."),
        message(
            "staff_changes_review",
            "⚠️ Some phone numbers, addresses, links or opening statuses change, or new ones are "
            "added. Check each line marked \"check before publishing\" before you confirm: a wrong "
            "number can send someone to the wrong people.",
        ),
        message(
            "staff_confirm_ask",
            "Publish these changes? The whole file is applied at once, or nothing is. "
            "This question expires in {minutes} minutes.",
        ),
        message(
            "staff_directory_moved",
            "The directory changed after you sent this file, so here is what it would change now. "
            "Please check again before you confirm.",
        ),
        message("btn_staff_confirm", "Confirm: publish"),
        message("btn_staff_cancel", "Cancel"),
        message(
            "staff_import_done",
            "Published: the directory is updated (recorded as change {audit_id}).",
        ),
        message("staff_import_cancelled", "Cancelled. Nothing was changed."),
        message(
            "staff_nothing_pending",
            "There is no import waiting for your confirmation: it was already answered, or it "
            "expired after {minutes} minutes. Send the file again if needed.",
        ),
        message("staff_failed", "Something went wrong and nothing was changed. Please try again later."),
        # NGO staff: re-confirming entries before they are shown as out of date.
        message("staff_stale_none", "Every entry has been verified within the last {days} days."),
        message(
            "staff_stale_header",
            "{count} entries are due for checking: not verified within the last {days} days. "
            "Check each one (phone number, address, opening hours), then tap \"Still correct ✓\".",
        ),
        message(
            "staff_stale_first",
            "Here are the {shown} oldest. When they are done, send /stale for the next ones.",
        ),
        message("staff_stale_entry", "▪ {organization}: {name}\n{id}\nLast verified: {date}"),
        message("staff_stale_entry_never", "▪ {organization}: {name}\n{id}\nNever verified."),
        message(
            "staff_stale_entry_no_button",
            "This id is too long for a button: verify it with \"python -m bot directory verify\".",
        ),
        message("btn_staff_still_correct", "Still correct ✓"),
        message(
            "staff_verify_ask",
            "Did you check {organization}: {name} today (phone number, address, opening hours), "
            "and is everything still correct?",
        ),
        message("btn_staff_verified", "Yes, verified today"),
        message(
            "staff_verify_done",
            "Thank you. {name} is marked as verified on {date} (recorded as change {audit_id}).",
        ),
        message("staff_unknown_entry", "This entry is no longer in the directory. Nothing was changed."),
    )
)
