"""English message templates for NGO staff, keyed by message id, ready to route through gettext."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    # whole files
    "file_missing": "The file is missing: expected {file} in this folder.",
    "file_empty": "The file is empty: it needs at least a header row with the column names.",
    "file_not_utf8": (
        "The file is not saved as UTF-8 text (unreadable byte at position {position}). "
        "In Excel use 'Save As' > 'CSV UTF-8 (comma delimited)'; in LibreOffice choose "
        "'Edit filter settings' and the character set 'Unicode (UTF-8)'."
    ),
    "file_too_large": "The file is too large ({size_mb} MB); the limit is {limit_mb} MB.",
    "file_not_csv": "The file could not be read as CSV: {detail}.",
    "file_not_json": "The file is not valid JSON: {detail}.",
    "not_datapackage": "This is not a data package: it needs a list called 'resources'.",
    "resource_bad": (
        "The resource '{resource}' has neither a 'data' list nor a 'path' to a CSV file."
    ),
    "resource_path_unsafe": (
        "The resource path '{path}' must be a plain file name next to the data package."
    ),
    "resource_row_bad": "This item is not an object with named fields.",
    "source_unknown": (
        "Cannot import '{source}': give a folder of CSV files, a datapackage .json file, "
        "or a web address of a data package (.json) or of a folder of CSV files (ending with /)."
    ),
    # header row
    "column_missing": "The column '{column}' is missing from the header row.",
    "column_unknown": (
        "The column '{column}' is not one we know; check its spelling. Columns of this file: "
        "{expected}. "
        "To keep private notes, start the column name with 'x_'."
    ),
    "column_duplicate": "The column '{column}' appears twice in the header row.",
    "row_too_long": "This row has {count} cells but the header row has only {expected} columns.",
    # fields
    "required": "This field is required but is empty.",
    "bad_id": (
        "'{value}' is not a valid id: use letters, digits, '-', '_' or '.' only, at most 64 "
        "characters."
    ),
    "duplicate_id": "The id '{value}' is used twice in this file (first on row {first_row}).",
    "duplicate_pair": "This service and location pair is already listed on row {first_row}.",
    "unknown_reference": "'{value}' does not match any id in {target}.",
    "phone_target": (
        "A phone must belong to something: fill in service_id, location_id or organization_id."
    ),
    "bad_phone": (
        "'{value}' is not a valid phone number for {country}. Write it as it is dialled there, "
        "or in international format starting with +."
    ),
    "bad_phone_no_country": (
        "'{value}' is not a valid phone number. This phone is not linked to a location with a "
        "country, "
        "so write it in international format starting with + (for example +44 20 ...)."
    ),
    "bad_phone_chars": "'{value}' contains characters that do not belong in a phone number.",
    "unknown_language": (
        "'{value}' is not an ISO 639 language code. Use the two-letter code where one exists "
        "(ar for Arabic, fa for Persian, ti for Tigrinya, ckb for Sorani Kurdish)."
    ),
    "language_name_not_code": "'{value}' is a language name: write its code '{code}' instead.",
    "unknown_service_type": (
        "'{value}' is not a service type listed in taxonomy.yml. Known types: {known}."
    ),
    "bad_number": "'{value}' is not a number.",
    "latitude_range": "Latitude {value} is out of range: it must be between -90 and 90.",
    "longitude_range": "Longitude {value} is out of range: it must be between -180 and 180.",
    "coordinates_pair": "Give both latitude and longitude, or neither.",
    "coordinates_zero": (
        "Latitude 0 and longitude 0 is almost certainly an empty cell turned into zeros."
    ),
    "withheld_address_given": (
        "This location withholds its address (address_withheld is yes) but this field is filled "
        "in. "
        "Empty it, so the confidential address is never published."
    ),
    "withheld_exact_coordinates": (
        "This location withholds its address, so its coordinates must be left empty or be a town "
        "centre "
        "marked approximate (approximate: yes)."
    ),
    "bad_time": (
        "'{value}' is not a time of day: write it as HH:MM in 24-hour format, for example 09:30 "
        "or 17:00."
    ),
    "bad_byday": (
        "'{value}' is not a list of days: use MO, TU, WE, TH, FR, SA, SU separated by commas."
    ),
    "bad_freq": "'{value}' is not supported: only weekly opening hours (WEEKLY) can be entered.",
    "hours_pair": "Give both opens_at and closes_at, or neither.",
    "hours_equal": "opens_at and closes_at are the same time ({value}).",
    "hours_without_days": "Opening hours are given but byday (the days they apply to) is empty.",
    "schedule_target": (
        "A schedule must belong to something: fill in service_id, location_id or "
        "service_at_location_id."
    ),
    "bad_date": "'{value}' is not a date: write it as YYYY-MM-DD, for example 2026-11-22.",
    "date_in_future": "The verification date {value} is in the future (today is {today}).",
    "date_order": "valid_from {start} is after valid_to {end}.",
    "assurer_missing": (
        "assured_date is filled in, so assurer (who checked the entry) is required too."
    ),
    "bad_status": "'{value}' is not a status: use active, temporarily closed or closed.",
    "bad_bool": "'{value}' is not yes or no.",
    "bad_url": "'{value}' is not a web address starting with https:// or http://.",
    "bad_email": "'{value}' is not an e-mail address.",
    "bad_country": "'{value}' is not a two-letter country code (ISO 3166-1), for example GB or FR.",
    "bad_choice": "'{value}' is not allowed here: use one of {allowed}.",
    "formula_cell": (
        "The cell starts with '{char}', which spreadsheets run as a formula (such as "
        "=HYPERLINK(...)). "
        "Formulas are refused, to protect staff who open exported files. Remove the leading "
        "'{char}' "
        "or start the text with a letter."
    ),
    "control_chars": "The cell contains invisible control characters; retype it.",
    "too_long": "The text is {length} characters long; the limit for this field is {limit}.",
    "no_services": (
        "The source lists no services: refusing to replace the directory with an empty one."
    ),
    # fetching
    "fetch_bad_scheme": "Only http:// and https:// addresses can be imported: '{url}'.",
    "fetch_timeout": "The server at {url} did not answer in time (limit {seconds} seconds).",
    "fetch_too_large": "The download from {url} is larger than the limit of {limit_mb} MB.",
    "fetch_http_error": "The server answered with error {status} for {url}.",
    "fetch_failed": "Could not download {url}: {detail}.",
    "fetch_other_host": (
        "The data package links to {url}, on another server; only files on the same server are "
        "read."
    ),
    # command results
    "validate_ok": "No problems found in {source}: {counts}.",
    "problems_found": "{count} problem(s) found in {source}; nothing was changed:",
    "problem_line": "{file}, row {row}, {field}: {message}",
    "problem_line_file": "{file}: {message}",
    "problem_line_field": "{file}, {field}: {message}",
    "not_modified": "Nothing to import: {source} has not changed since the last import.",
    "no_changes": "No changes: the directory already matches {source}.",
    "dry_run": "Dry run: nothing was changed. Importing {source} would make these changes:",
    "import_applied": "Imported {source} (recorded as change {audit_id}, by {by}):",
    "change_added": "added to {table}: {id}",
    "change_removed": "removed from {table}: {id}",
    "change_changed": "changed in {table}: {id} ({fields})",
    "change_sensitive": "    check before publishing: {field} was '{old}', now '{new}'",
    "change_many": "{count} entries: {first} and {more} more",
    "stale_none": "Every entry has been verified within the last {days} days.",
    "stale_header": "{count} entries not verified within the last {days} days (oldest first):",
    "stale_line": "{id}: {name} ({organization}), last verified {assured}",
    "stale_never": "never",
    "unknown_service": "There is no service with id '{value}'.",
    "bad_name": "'{value}' cannot be used as a name: {reason}",
    "name_empty": "it is empty.",
    "name_too_long": "it is longer than 100 characters.",
    "name_unsafe": "it starts like a spreadsheet formula or contains control characters.",
    "verify_done": "Verified {id} on {date} by {by} (recorded as change {audit_id}).",
    "export_done": "Exported {count} services to {out}.",
    "bench_nearest": (
        "nearest: {queries} queries over {entries} entries: p50 {p50:.3f} ms, p95 {p95:.3f} ms, "
        "max {max:.3f} ms"
    ),
    "bench_import": (
        "validate + import of {rows} rows: validate {validate:.2f} s, import {imported:.2f} s, "
        "total {total:.2f} s"
    ),
}


def render(message_id: str, **params: Any) -> str:
    """Fill the English template for message_id with params."""
    return MESSAGES[message_id].format(**params)
