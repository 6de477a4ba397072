"""What is wrong with an imported file, as data: a code and the values its wording needs.

A row error, a refused file or the reason a profile was chosen is made where it is detected, as a
`Problem`; nobody downstream has to recognise a sentence. Its English wording (the Python API's
messages, SPEC §2's JSON `message`) is rendered FROM the code by the one table below, ENGLISH;
the front door (monitor/) words the same code from the catalogue in the reader's language
("problem.<code>", German by default), filled with the same values. A test checks that every
code has a message in both catalogues with the placeholders of its English template.

This mirrors evaluation/caveat_codes.py for the statistics. imports/ knows nothing of the
catalogue (the arrow points from monitor/ to imports/, never back).

Values are strings and whole numbers as the message shows them: a cell's value as written
(`repr`, so that "" and " 12" are visible), header names, row numbers; amounts as cents in a value
whose name ends in `_cents`, so that each language writes them in its own way; whole numbers
named in QUANTITIES (a limit, a size, a count) are grouped the same way (1.000.000, 1,000,000),
while row and line numbers and years stay as Excel and the calendar write them. `parts` are
further problems said after the first, each on its own line (what each profile lacks, say).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from imports.money import format_cents

Value = int | str

# Values that count or measure something: a whole number under one of these names is written with
# the reader's grouping (1.000.000). Positions (row and line numbers, a byte's offset) and years
# are not: they are written as Excel, an editor and the calendar write them.
QUANTITIES: frozenset[str] = frozenset(
    {"limit", "megabytes", "kilobytes", "rows", "columns", "count", "total", "blank", "header",
     "notes"}
)  # fmt: skip

# code → English, a str.format template over the values.
ENGLISH: Mapping[str, str] = MappingProxyType(
    {
        # Pieces of other messages.
        "list": "{first}",
        "named_with": "{name} ({detail})",
        # The kinds of master-data table (imports.master_data.columns.TableSpec.title).
        "table_measures": "measures",
        "table_allocations": "allocations",
        "table_districts": "districts",
        "table_population": "population",
        "table_indicator_values": "indicator values",
        "table_indicator_values_wide_format": "indicator values (wide format)",
        "table_budget_plan": "budget plan",
        "table_crosswalk": "crosswalk",
        "table_facilities": "facilities",
        "table_master_data": "master data",
        # The fields a column is read for, as a message names them (field_word).
        "field_account": "account",
        "field_amount": "amount",
        "field_basis": "basis",
        "field_booking_date": "booking date",
        "field_cost_center": "cost center",
        "field_debit_credit": "debit/credit marker",
        "field_direction": "direction (income or expense)",
        "field_district": "district",
        "field_document_no": "document number",
        "field_end": "end",
        "field_fiscal_year": "fiscal year",
        "field_from": "from (old code)",
        "field_indicator": "indicator",
        "field_kind": "kind of amount (plan or actual)",
        "field_lat": "latitude",
        "field_line": "plan line",
        "field_line_no": "line number",
        "field_lon": "longitude",
        "field_measure": "measure",
        "field_name": "name",
        "field_order": "order",
        "field_period": "period",
        "field_population": "population",
        "field_product": "product",
        "field_program": "programme",
        "field_share": "share",
        "field_start": "start",
        "field_text": "booking text",
        "field_to": "to (new code)",
        "field_type": "type",
        "field_valid_from": "valid from",
        "field_valid_to": "valid to",
        "field_value": "value",
        "field_weight": "weight",
        "field_x": "x (easting)",
        "field_y": "y (northing)",
        "field_year": "year",
        # A cell of a row (postings, master data, tables).
        "not_valid": "{value} is not valid",
        "not_amount": "not an amount: {value}; expected a number such as 1.234,56, -1.234,56 or "
        "1.234,56- (decimal mark {decimal})",
        "implausible_amount": "implausible amount: {value} is larger than {limit_cents} "
        "([imports] max_abs_amount); not stored. Check the cell (a number where a code or a "
        "date belongs?)",
        "not_date": "not a date: {value}; expected a date such as 31.12.2024, 2024-12-31 or an "
        "Excel date",
        "not_whole_number": "expected a whole number in {column}",
        "empty_cell": "{column} is empty",
        "debit_credit_marker": "expected a debit/credit marker: {markers}",
        "same_key": "same key ({key}) as row {others} but different content",
        "not_year": "not a year: {value}",
        "not_number": "not a number: {value}",
        "ends_before_start": "ends before it starts",
        "needs_measure_code": "empty: every row needs a measure code",
        "needs_measure_name": "empty: every measure needs a name",
        "needs_district_code": "empty: every row needs a district code",
        "needs_district_name": "empty: every district needs a name",
        "needs_year": "empty: every row needs a year",
        "needs_population": "missing: every row needs a population",
        "needs_period": "empty: every row needs a period",
        "needs_indicator": "empty: every row needs an indicator",
        "needs_measure_or_product": "empty: every row needs a measure or product",
        "needs_share": "empty: every row needs a share (0,5 or 50 %)",
        "not_coordinate": "not a coordinate (a number)",
        "outside_globe": "longitude and latitude are outside -180..180, -90..90",
        # What a file's first bytes look like (imports.readers.signatures), after "looks like".
        "content_empty": "an empty file",
        "content_zip": "a ZIP archive (an Excel workbook?)",
        "content_empty_zip": "an empty ZIP archive",
        "content_ole2": "an OLE2 compound file (an old .xls workbook or a password-protected one?)",
        "content_pdf": "a PDF document",
        "content_gzip": "a gzip archive",
        "content_7zip": "a 7-Zip archive",
        "content_rar": "a RAR archive",
        "content_png": "a PNG image",
        "content_jpeg": "a JPEG image",
        "content_utf16": "UTF-16 text",
        "content_html": "an HTML page (some systems save HTML under an Excel name)",
        "content_mhtml": "a web archive (MHTML)",
        "content_xml": "an XML document (an Excel 2003 XML file?)",
        "content_binary": "binary data",
        "content_text": "text (a CSV or tab-separated export?)",
        # A whole file.
        "file_not_found": "file not found",
        "file_empty": "file is empty",
        "cannot_read": "cannot be read: {reason}",
        "not_csv_text": "looks like {found}, not CSV text",
        "no_extension": "without extension",
        "unsupported_type": "unsupported file type ({suffix}); supported: {supported}",
        "expected_zip": "expected a ZIP archive, but the file looks like {found}",
        "expected_xls": "expected an Excel 97-2003 workbook (.xls), but the file looks like "
        "{found}{hint}",
        "rename_to_xlsx": "; rename it to .xlsx",
        "rename_to_xls": "; rename it to .xls",
        "kind_ods": "an OpenDocument spreadsheet",
        "kind_xlsx": "an Excel workbook",
        "expected_workbook": "expected {kind} ({suffix} files are ZIP archives), but the file "
        "looks like {found}{hint}",
        "in_file": "{file}: {detail}",
        "no_posting_rows": "no rows: the header in {where} has no data rows below it{skipped}; "
        "nothing imported. Export the postings again, with their lines",
        "where_header_row": "row {row} of sheet {sheet}",
        "where_described": "the column description of {sheet}",
        "skipped_rows": " (skipped: {blank} blank, {total} total, {header} repeated header rows)",
        "no_table_rows": "no rows: the {table} table in sheet {sheet} has {where} but no data "
        "rows below it{left}; nothing imported",
        "where_table_header": "the header in row {row}",
        "where_table_described": "the described columns",
        "skipped_notes": " (only {total} total and {notes} note rows, which are skipped)",
        "no_table_found": "{file}: no {table} table found.",
        "no_index_rows": "{file}: no rows: below the header there is no index level; nothing "
        "was read. Export the price index again from GENESIS, with its values",
        "no_header_in_sheets": "Found no header row (no text cells in the first rows of any "
        "sheet).",
        "where_row": "row {row}",
        "table_header_found": "Found in sheet {sheet}, {where}: {found}",
        "missing_column": "Missing column {field}: one of {aliases}",
        "hint_wide_indicators": "A wide file needs the district and period columns (or --period) "
        "and one column per indicator, named by its code or an alias: {aliases}.",
        "ba_no_period": "{file}: sheet {sheet} of this table of the Statistik der Bundesagentur "
        "für Arbeit has no row of reference dates or periods above its columns (such as 30.06.2021 "
        "or 2021); give the period of the whole file with --period",
        "ba_double_period": "{file}: --period {period} was given, but sheet {sheet} heads its "
        "columns with their own periods (row {row}); leave out --period",
        "ba_two_columns": "{file}: two columns for indicator {indicator} and period {period}: "
        "{first} and {second}; only one can be read and nothing says which is meant: name one "
        "in [indicators.{indicator}] columns together with its sheet ('SHEET / LABEL')",
        "hint_ba_indicators": "No column of this table of the Statistik der Bundesagentur für "
        "Arbeit is configured as an indicator. Its columns, by sheet and label: {labels}. Name "
        "them in [indicators.CODE] columns (configured: {aliases}).",
        "hint_plan_columns": "Expected a measure or product column ('Maßnahme', 'Produkt'), and "
        "either a year and an amount column ('Jahr', 'Ansatz') or one column per year ('2025', "
        "'Plan 2025', 'Ansatz 2025'). A column named otherwise can be given an alias in the "
        "settings ([plan] columns).",
        "hint_crosswalk_json": "Or give a JSON object {{code: [codes]}}.",
        "hint_projected_coordinates": "Or give the coordinates as 'x' and 'y' (Rechtswert, "
        "Hochwert) with --crs EPSG:NNNN.",
        "coordinates_need_crs": "the coordinates {x}/{y} need --crs EPSG:NNNN (for ETRS89 / UTM "
        "32N: EPSG:25832); digits alone cannot tell",
        "sum_line_differs": "the export's sum line (row {row}) says {stated_cents}, its rows add "
        "up to {total_cents}",
        # Finding the header and the profile.
        "unknown_profile": "unknown profile {profile}; known profiles: {known}, auto",
        "no_profile_matches": "no mapping profile matches this file's header.",
        "no_header_row": "Found no header row (the file has no text cells in its first rows).",
        "header_found": "Found in sheet {sheet}, row {row}: {found}",
        "profile_lacks": "Profile {profile} lacks {expected}",
        "field_one_of": "{field} ({code} in a profile): one of {headers}",
        "add_profile": "Add a profile under [imports.profiles.NAME] in settings.toml for this "
        "layout.",
        "ambiguous_columns": "two columns map to one field in the {where} (profile {profile}): "
        "{found}. Only one could be imported and nothing says which is meant: remove the other "
        "column, or name the one to use in a profile ([imports.profiles.NAME.columns])",
        "doubled_column": "{field}: {first} (column {first_letter}) and {second} (column "
        "{second_letter})",
        "where_header_in_row": "header in row {row} of sheet {sheet}",
        "where_column_description": "column description of sheet {sheet}",
        "profile_chosen": "profile {profile} ({origin}): {where} maps {count} fields ({fields})",
        "origin_builtin": "built-in",
        "origin_settings": "from settings",
        "profile_alone": "no other profile matches",
        "profile_tie_settings": "tied at {count} fields with {names}: a profile from settings "
        "wins a tie with a built-in one",
        "profile_tie_order": "tied at {count} fields with {names}: of equals, the one defined "
        "first wins (choose with --profile NAME)",
        "profile_fewer": "other matching profiles map fewer fields: {names}",
        # Two columns for one field: master data, geodata, places (imports.master_data.columns).
        "doubled_fields": "{file}: two columns for one field in {where}: {found}; only one can be "
        "read and nothing says which is meant: keep one, or name the one to read where the command "
        "has an option for it (--name, --name-field, --type-field)",
        "where_sheet": "sheet {sheet}",
        "where_sheet_row": "sheet {sheet}, header in row {row}",
        "where_layer": "layer {layer}",
        # Master data, geodata and places refused whole or in a row (imports.master_data, geodata).
        "none_found": "none",
        "not_period_option": "--period {value} is not a period; expected a year (2024), quarter "
        "(2024-Q3), month (2024-03) or a date (31.12.2024)",
        "not_period": "not a period: {value}; expected a year (2024), quarter (2024-Q3), month "
        "(2024-03) or a date (31.12.2024)",
        "alias_of_two_indicators": "the header {header} is an alias of two indicators: {first} "
        "and {second} ([indicators.CODE] columns in settings)",
        "no_indicators_configured": "no indicators are configured ([indicators.CODE] columns in "
        "settings)",
        "indicator_headers": "{code}: {headers}",
        "period_twice": "{file}: --period {period} was given, but sheet {sheet} has its own "
        "period column {column}; leave out --period, or the column",
        "zero_rows_need_two_indicators": "{file}: the convention that a row of zeros was not "
        "computed ([indicator_files] all_zero_rows_missing) needs at least two indicator columns "
        "to tell such a row from a true zero; sheet {sheet} has {found}",
        "not_amount_kind": "not a kind of amount: {value}; expected a plan kind (Plan, Ansatz, "
        "Planung) or an actual one (Ist, Ergebnis), which is left out",
        "no_plan_amounts": "{file}: no plan amounts in sheet {sheet}: {reasons}",
        "plan_left_actuals": "{count} rows are actual results (column {column}: Ist, Ergebnis), "
        "which are not plan",
        "plan_left_sum_lines": "{count} rows are sum lines",
        "plan_left_not_spending": "{count} rows are not spending (income or results)",
        "plan_left_internal": "{count} rows are internal service charges",
        "plan_left_no_amount": "{count} rows have no amount",
        "plan_left_all_empty": "every amount cell is empty",
        "implausible_plan_sum": "implausible amount: the {rows} rows of {key} for {year} add up "
        "to {amount_cents}, more than {limit_cents} ([imports] max_abs_amount); not stored",
        "unknown_plan_field": "[plan] columns: unknown field {field}; fields: {fields}",
        "plan_year_columns": "{year}: {headers}",
        "plan_year_twice": "{file}: two columns for one plan year in sheet {sheet} ({found}); "
        "keep one per year",
        "not_plan_amount": "not an amount: {value}; expected an amount such as 1.234,56 or 1234.56",
        "no_rule_column": "{file}: sheet {sheet} has no posting rule column; found {found}; "
        "expected at least one of {rules}",
        "not_genesis_export": "{file}: not a GENESIS export (flat file ffcsv or classic CSV); "
        "export the price index (e.g. Destatis table 61111-0001) from GENESIS-Online as such",
        "several_regions": "{file}: a price index for one region is expected, the file holds "
        "{count}: {regions}",
        "not_index_level": "not a positive index level: {value}",
        "second_index_level": "a second level for {year}; the first is in line {line}",
        "no_index_levels": "{file}: no index levels for the series {series}",
        "no_such_series": "{file}: no series {series}; the file holds {names}",
        "several_series": "{file}: several series ({names}); name the index with --series",
        "genesis_without_region": "{file}: a GENESIS flat file without a regional variable or "
        "value_variable_code",
        "genesis_without_data": "{file}: a GENESIS table without data lines",
        "genesis_side_by_side": "{file}: this GENESIS table has {count} value columns side by "
        "side; export it as a flat file (ffcsv), which has one value per line",
        "crosswalk_without_pairs": "{file}: the crosswalk lists no pair of codes",
        "crosswalk_not_json": "{file}: not a readable JSON crosswalk: {reason}",
        "crosswalk_not_object": "{file}: a JSON crosswalk is an object {{code: [codes]}}, not a "
        "{found}",
        "crosswalk_counts": "{codes} codes in the file, {districts} districts, {pairs} pairs in "
        "the crosswalk",
        "crosswalk_links_nothing": "{file}: links no code of the file to a district in the ledger "
        "({counts})",
        "crosswalk_carries_nothing": "{file}: carries no value: every district it links the file "
        "to is split, lacks a population to weight by, or fails the population check ({counts}; "
        "population check failed for {failed})",
        "not_geodata_file": "not a geodata file: expected GeoJSON (.geojson, .json), a Shapefile "
        "(.shp, or a .zip holding one), GeoPackage (.gpkg) or GML (.gml)",
        "cannot_read_as": "cannot be read as {kind}: {reason}",
        "crs_custom": "custom: {name}",
        "crs_declared_otherwise": "declares {declared}, but --crs says {given}; leave --crs out "
        "for a file that declares its CRS",
        "no_crs_shapefile": "declares no coordinate reference system (no .prj file); add it (for "
        "ETRS89 / UTM 32N: EPSG:25832), the coordinates alone cannot tell",
        "no_crs_declared": "declares no coordinate reference system (no srsName); add it (for "
        "ETRS89 / UTM 32N: EPSG:25832), the coordinates alone cannot tell",
        "shapefile_without_sidecars": "is a Shapefile without its .shx and .dbf sidecar files "
        "beside it (same name)",
        "zip_without_shapefile": "holds no Shapefile (.shp)",
        "no_such_shapefile": "has no Shapefile {layer}; it holds {found}",
        "several_shapefiles": "holds several Shapefiles ({found}); name one with --layer",
        "cannot_read_geodata": "cannot be read as geodata: {reason}",
        "no_such_layer": "has no layer {layer}; its layers: {found}",
        "several_layers": "has several layers ({found}); name one with --layer",
        "not_a_field": "{file}: {option} {field} is not a field of layer {layer}; its fields: "
        "{fields}",
        "no_key_field": "{file}: no field of layer {layer} holds the codes of the {count} "
        "districts in the ledger; name the key field with --key. Its fields: {fields}",
        "no_key_field_creating": "{file}: no field of layer {layer} holds the codes of the "
        "{count} districts in the ledger; with --create-districts name the key field with --key. "
        "Its fields: {fields}",
        "type_and_type_field": "give either --type TYPE or --type-field FIELD, not both",
        "not_crs": "--crs {value} is not a coordinate reference system; expected EPSG:NNNN, such "
        "as EPSG:25832 (ETRS89 / UTM 32N) or EPSG:31466 (Gauß-Krüger zone 2)",
        "not_a_place_field": "{file}: {option} {field} is not a field; fields: {fields}",
        "places_without_type": "{file}: no type for the places: give --type TYPE (all places of "
        "the file are of that type) or --type-field FIELD, or add a column 'type' (Typ, Art)",
        "cannot_place": "cannot be placed from {crs}",
        "needs_place_type": "no type: every place needs one",
        "not_valid_date": "not a date; expected a date such as 31.12.2024, 2024-12-31 or an Excel "
        "date",
        "ends_before_valid_from": "ends before it begins (valid_from)",
        "grid_without_column": "{file}: no header row names the columns {columns}; first row: "
        "{first}",
        "not_cell_centre": "not a cell centre (metres in EPSG:3035)",
        "grid_without_cells": "{file}: neither cell centres (x_mp_100m/y_mp_100m, "
        "x_mp_1km/y_mp_1km) nor INSPIRE cell ids (100mN…E…, 1kmN…E…, CRS3035RES100mN…E…) found; "
        "columns: {columns}",
        "not_cell_id": "not an INSPIRE grid cell id (100mN…E…, 1kmN…E…, CRS3035RES…)",
        "not_a_number": "not a number",
        "cell_again": "cell {cell} already in row {row}",
        # A user's own panel for evaluate --panel (imports.panel_file).
        "panel_folder": "a folder",
        "panel_without_extension": "a file without extension",
        "panel_type": "a panel must be CSV or Excel ({suffixes}), not {found}",
        "panel_no_rows": "no data below the header ({where})",
        "panel_without_data": "the file holds no data",
        "panel_role_unit": "unit",
        "panel_role_time": "time",
        "panel_role_outcome": "outcome",
        "panel_role_cohort": "cohort",
        "panel_role_cluster": "cluster",
        "panel_role_column": "{role} column {name}",
        "panel_columns_missing": "{missing} not found; columns found ({where}): {found}",
        "panel_needs_unit": "empty: every row needs a unit",
        "panel_needs_cluster": "empty: every row needs a cluster",
        "panel_needs_time": "missing: every row needs a period (a number such as a year)",
        "panel_negative_cohort": "a cohort is the first treated period, 0 or empty (never)",
        "panel_period_again": "unit {unit} has period {period} already in row {row}: a panel has "
        "one row per unit and period",
        "panel_cohort_varies": "unit {unit} has cohort {cohort} here but {earlier} in an earlier "
        "row: the cohort (first treated period) must be the same in every row of a unit",
        "panel_not_number_comma": "not a number: {value} (this column writes decimals with a "
        "comma, as 1.234,5)",
        # Files the readers refuse: archives, GoBD exports, encodings, limits (imports.readers).
        "file_damaged": "file is damaged or truncated",
        "password_protected": "is password-protected; save it without a password",
        "zip_method": "uses a ZIP compression method that cannot be read ({reason})",
        "zip_bomb": "archive would inflate to {megabytes} MB, more than the limit of {limit} MB; "
        "refused as a possible zip bomb",
        "xml_part_declares": "XML part {part} declares a DOCTYPE or ENTITY, which workbooks never "
        "need; refused as a possible entity-expansion attack",
        "xml_part_without_root": "XML part {part} has no root element in its first {kilobytes} "
        "KB; expected a workbook part",
        "gobd_folder_without_index": "folder has no {index}; expected a GoBD/GDPdU export "
        "(Datenträgerüberlassung)",
        "gobd_zip_without_index": "ZIP archive has no {index}; expected a GoBD/GDPdU export "
        "(Datenträgerüberlassung)",
        "gobd_index_too_large": "{index} is {megabytes} MB, too large",
        "gobd_outside": "{index} names {url}, outside the export",
        "gobd_missing_in_folder": "{index} names {url}, but the folder has no such file",
        "gobd_missing_in_zip": "{index} names {url}, but the archive has no such file",
        "gobd_absolute": "{index} names {url}; only relative file names are read",
        "zip_is_xlsx": "is an Excel workbook saved as .zip; rename it to .xlsx",
        "zip_is_ods": "is an OpenDocument file saved as .zip; rename it to .ods",
        "too_many_columns": "table {table} has {columns} columns, more than the limit of {limit}",
        "gobd_table": "table {table} ({url}): {detail}",
        "gobd_encoding": "table {table} ({url}) is not valid {encoding} text as {index} declares",
        "gobd_long_record": "table {table} has a record longer than {limit} characters; is the "
        "RecordDelimiter {delimiter} right?",
        "gobd_entities": "{index} declares XML entities, which a GoBD description never needs; "
        "refused as a possible entity-expansion attack",
        "gobd_not_xml": "{index} is not well-formed XML ({reason})",
        "gobd_root": "{index} has root element {root}, expected DataSet of a GoBD/GDPdU "
        "description",
        "gobd_no_table": "{index} describes no table",
        "gobd_table_without_url": "{index} has a Table element without URL",
        "gobd_fixed_length": "table {table} uses fixed-length records; only VariableLength "
        "(delimited) tables can be read",
        "gobd_no_layout": "table {table} uses no layout; only VariableLength (delimited) tables "
        "can be read",
        "gobd_column_without_name": "table {table} has a column without Name",
        "gobd_no_columns": "table {table} declares no columns",
        "gobd_range_from": "table {table}: Range/From must be 1 or more",
        "gobd_one_character": "table {table}: {tag} must be one character, found {value}",
        "gobd_whole_number": "table {table}: {tag} must be a whole number, found {value}",
        "cannot_split": "table {table} cannot be split into fields near line {line}: {reason}",
        "too_many_rows": "table {table} has more than {limit} rows, the limit",
        "too_many_columns_in_row": "table {table} has {columns} columns in row {row}, more than "
        "the limit of {limit}",
        "undecodable": "is not valid {encoding} text (byte 0x{byte} cannot be decoded)",
        "inside_gobd": "a GoBD/GDPdU export; rename it to .zip",
        "inside_xlsx": "an Excel workbook; rename it to .xlsx",
        "inside_ods": "an OpenDocument file; rename it to .ods",
        "inside_other_zip": "a ZIP archive without a workbook inside",
        "workbook_part_missing": "expected {expected} inside the {suffix} file, but it is {found}",
        "sheet_too_many_rows": "sheet {sheet} has {rows} rows, more than the limit of {limit}",
        "not_utf8_throughout": "is not UTF-8 throughout, as its byte-order mark or profile says: "
        "line {line} is not (byte 0x{byte}, {char} in {encoding}); nothing imported; export the "
        "file again in one encoding (UTF-8 or Windows-1252)",
        "mixed_encodings": "mixes text encodings: line {utf8_line} is UTF-8 text ({utf8_text}), "
        "but line {line} is not UTF-8 (byte 0x{byte}, {char} in {encoding}); tried UTF-8 and "
        "{encoding}, and neither reads every line as written; nothing imported; export the file "
        "again in one encoding (UTF-8 or Windows-1252)",
        "utf8_not_declared": "is UTF-8 text (line {line} holds {char} in UTF-8), but its profile "
        "says {declared}, which would read it as {read_as}; remove the profile's encoding so that "
        "it is detected, or set it to UTF-8",
        "utf16_text": "is UTF-16 text; save the export as CSV in UTF-8 or Windows-1252",
        "nul_byte": "contains a NUL byte at offset {offset}: binary data, not CSV text",
        "sheet_too_many_columns": "sheet {sheet} has {columns} columns, more than the limit of "
        "{limit}",
        "supported_types": "{suffixes}, or a GoBD export (.zip or folder with index.xml)",
        # Measures and their allocations, row by row (imports.master_data.measures, periods).
        "days_every": "on every day",
        "days_until": "until {end}",
        "days_from": "from {start} on",
        "days_between": "from {start} to {end}",
        "window": "{first}–{last}",
        "window_open": "open",
        "no_posting_rule": "no posting rule: fill at least one of {headers}",
        "lone_star": "{value}: a lone * would match every posting; leave the cell empty",
        "star_inside": "{value}: a * may only end an alternative (prefix match), as in 3606*",
        "measure_windows_overlap": "measure {measure} is valid {window} in row {row} and "
        "{earlier} in row {earlier_row}: the validity windows of one measure must not overlap",
        "measure_not_in_sheet": "measure {measure} is not in sheet {sheet}",
        "not_share": "not a share: {value}; expected 0,5 or 50 %",
        "share_out_of_range": "share {value} is not above 0 and at most 1 (write 0,5 or 50 %)",
        "district_share_twice": "district {district} already has a share of measure {measure} in "
        "row {row} for overlapping days ({window} and {earlier})",
        "share_sum": "{total} {days}",
        "shares_sum_to": "shares of {measure} sum to {sums}",
        "share_sums_and": "{first}, and to {second}",
        "place_measure_unknown": "no measure {measure} in {where}",
        "in_measure_catalogue": "the measure catalogue in force",
        "in_ledger_without_measures": "the ledger (no measures imported)",
        "pyrosm_missing": "pyrosm is not installed: pip install 'budget-impact-monitor[network]'",
        "not_osm_extract": "not a readable OpenStreetMap extract (.osm.pbf): {reason}",
        "no_walkable_ways": "no walkable ways in this extract",
        "not_inhabitants": "not a number of inhabitants (a whole number): {value}",
        "district_named_otherwise": "district {district} is named {name} in row {row}: one name "
        "per district",
        "district_not_in_sheet": "district {district} is not in sheet {sheet}",
        "population_again": "district {district} has a population for {year} already in row {row}",
        "district_unknown": "unknown district {district}: not among the {count} imported "
        "districts (import the districts file first, or correct the code)",
        "indicator_value_again": "district {district}, indicator {indicator}, period {period} "
        "already in row {row}",
        "district_period_again": "district {district}, period {period} already in row {row}",
        "plan_again": "{what} has a plan for {years} already in row {rows}",
        "plan_again_breakdown": "{what} has a plan for {years} already in row {rows} (where the "
        "file breaks a plan down by line or account, give that column an alias in [plan] columns: "
        "line, account)",
        # A mapping profile the settings define wrongly (imports.profile).
        "profile_unknown_fields": "unknown field(s) {fields}; known fields: {known}",
        "profile_unknown_key_fields": "unknown key field(s) {fields}",
        "profile_decimal": "decimal must be ',' or '.', not {value}",
        "profile_credit_marker": "credit_marker needs the debit_credit column",
        "profile_required_fields": "required field(s) {fields} have no column",
        "profile_unknown_key": "unknown key {key} (known: {known})",
        "profile_columns_table": "{key} must be a table of field = header(s)",
        "profile_headers": "{key} must be a header or a list of headers",
        "profile_key_list": "{key} must be a list of field names",
        "profile_text": "{key} must be text",
    }
)


def template_fields(template: str) -> set[str]:
    """The {names} a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class Problem:
    """One problem: its code (a key of ENGLISH), the values its wording needs, and further
    problems said after it (`parts`, joined by `joiner`: a new line, or "; ")."""

    code: str
    values: Mapping[str, Value | Problem] = field(default_factory=dict)
    parts: tuple[Problem, ...] = ()
    joiner: str = "\n"

    def __post_init__(self) -> None:
        if self.code not in ENGLISH:
            raise ValueError(f"unknown import problem code {self.code!r}")
        missing = template_fields(ENGLISH[self.code]) - set(self.values)
        if missing:
            raise ValueError(f"problem {self.code!r} needs the values {sorted(missing)}")
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        object.__setattr__(self, "parts", tuple(self.parts))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.values.items())), self.parts, self.joiner))

    @property
    def english(self) -> str:
        """The sentence of the Python API and of the JSON `message`."""
        return self.worded(lambda code, values: ENGLISH[code].format(**values), format_cents)

    def worded(self, words: Any, money: Any) -> str:
        """This problem in other words: `words(code, values)` gives one code's text, `money`
        writes cents; nested problems among the values and the parts are worded the same way."""
        values = {
            name: (
                value.worded(words, money)
                if isinstance(value, Problem)
                else money(value)
                if name.endswith("_cents")
                else value
            )
            for name, value in self.values.items()
        }
        return self.joiner.join(
            [words(self.code, values), *(part.worded(words, money) for part in self.parts)]
        )

    def to_dict(self) -> dict[str, Any]:
        """The code and its values as JSON (added beside SPEC §2's `message`)."""
        document: dict[str, Any] = {
            "code": self.code,
            "values": {
                k: v.to_dict() if isinstance(v, Problem) else v for k, v in self.values.items()
            },
        }
        if self.parts:
            document["parts"] = [p.to_dict() for p in self.parts]
            document["joiner"] = self.joiner
        return document


def problem(code: str, /, **values: Value | Problem) -> Problem:
    """`problem("not_year", value="'20x4'")`: a problem without parts."""
    return Problem(code, values)


def joined(problems: Sequence[Problem], joiner: str = ", ") -> Problem:
    """Several problems said as one list ("a, b" or "a; b")."""
    return Problem("list", {"first": problems[0]}, tuple(problems[1:]), joiner=joiner)


def table_title(title: str) -> Problem:
    """A kind of table ("budget plan") as a problem, so that each language names it."""
    return problem("table_" + re.sub(r"[^a-z]+", "_", title.casefold()).strip("_"))


def field_word(field: str) -> Problem:
    """A field a column is read for, as a message names it ("Betrag", "amount"): each language
    in its own word, never the code. A name that is no field of the program's (a census grid's
    column, an indicator's code) is said as written, quoted."""
    code = f"field_{field}"
    return problem(code) if code in ENGLISH else problem("list", first=said(field))


def said(value: object) -> str:
    """A cell's value as a message shows it: quoted, so that blanks and spaces are visible."""
    return repr(value)


def listed(values: Sequence[object]) -> str:
    """Several names, each quoted, comma-separated: 'KST', 'Kst.'."""
    return ", ".join(repr(v) for v in values)


class ProblemError(ValueError):
    """A whole file (or a setting) that cannot be used, and why as a `Problem`; the message is
    its English sentence, so callers that only print the exception read what they always did.
    Raised with a plain text, `problem` is None (a message not yet turned into a code)."""

    def __init__(self, problem: Problem | str) -> None:
        self.problem = problem if isinstance(problem, Problem) else None
        super().__init__(problem.english if isinstance(problem, Problem) else problem)
