"""The yearly activity report as files an editor drops into the centre's own report: a
Word document (python-docx; LibreOffice opens it) with the admin's tables, in French
formats, and a workbook (openpyxl) with one sheet of figures and one sheet per table,
numbers kept as numbers. Both are built from the same dict as the admin page
(stats.activity.activity_report)."""

import io
from datetime import date

from django.utils.translation import gettext as _

from . import frenchformat

SUMMARY_COLUMNS = ("label", "value", "previous", "change")


def units_of(table) -> list:
    return table.get("units") or ["text"] + ["count"] * (len(table["columns"]) - 1)


def cell_text(raw, unit: str) -> str:
    if unit == "change":
        return frenchformat.change(raw)
    return frenchformat.value(raw, unit)


def figure_rows(section) -> list:
    """[label, value, previous, change] as the admin shows them."""
    return [
        [
            figure["label"],
            frenchformat.value(figure["value"], figure["unit"]),
            frenchformat.value(figure["previous"], figure["unit"]),
            frenchformat.change(figure["change"]),
        ]
        for figure in section["figures"]
    ]


def table_rows(table) -> list:
    units = units_of(table)
    return [[cell_text(raw, unit) for raw, unit in zip(row, units)] for row in table["rows"]]


def title_of(data) -> str:
    return _("Rapport d’activité %(year)s · %(scope)s") % {
        "year": data["year"],
        "scope": data["title"],
    }


def file_name(data, extension: str) -> str:
    scope = "reseau" if data["scope"] == "network" else data["site"]
    return f"rapport-activite-{scope}-{data['year']}.{extension}"


# --- DOCX ------------------------------------------------------------------------------


def as_docx_bytes(data) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = title_of(data)
    document.core_properties.language = "fr-FR"
    document.add_heading(title_of(data), level=0)
    document.add_paragraph(
        _("Comparé à %(year)s. Sites : %(sites)s.")
        % {"year": data["compared_with"], "sites": ", ".join(data["sites"])}
    )
    for section in data["sections"]:
        document.add_heading(section["title"], level=1)
        _docx_table(
            document,
            [_("Indicateur"), str(data["year"]), str(data["compared_with"]), _("Évolution")],
            figure_rows(section),
        )
        if section.get("note"):
            document.add_paragraph(section["note"])
        for table in section["tables"]:
            document.add_heading(table["title"], level=2)
            if table["rows"]:
                _docx_table(document, table["columns"], table_rows(table))
            else:
                document.add_paragraph(_("Aucune donnée."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, header, rows):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row)):
            cell.text = str(text)
            if index:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


# --- XLSX ------------------------------------------------------------------------------

NUMBER_FORMATS = {
    "count": "#,##0",
    "percent": "0.0%",
    "change": "+0.0%;-0.0%;0.0%",
    "date": "dd/mm/yyyy",
}


def xlsx_value(raw, unit):
    """A cell's value and number format: numbers stay numbers, durations read as text."""
    if raw is None:
        return None, None
    if unit == "duration":
        return frenchformat.duration(raw), None
    if unit == "date":
        return date.fromisoformat(raw), NUMBER_FORMATS["date"]
    if unit == "change":
        return raw / 100, NUMBER_FORMATS["change"]
    if unit in NUMBER_FORMATS:
        return raw, NUMBER_FORMATS[unit]
    return raw, None


def as_xlsx_bytes(data) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Synthèse")
    summary.append([title_of(data)])
    summary["A1"].font = Font(bold=True)
    summary.append(
        [_("Section"), _("Indicateur"), data["year"], data["compared_with"], _("Évolution")]
    )
    for section in data["sections"]:
        for figure in section["figures"]:
            row = [section["title"], figure["label"]]
            formats = [None, None]
            for raw, unit in (
                (figure["value"], figure["unit"]),
                (figure["previous"], figure["unit"]),
                (figure["change"], "change"),
            ):
                value, number_format = xlsx_value(raw, unit)
                row.append(value)
                formats.append(number_format)
            summary.append(row)
            for cell, number_format in zip(summary[summary.max_row], formats):
                if number_format:
                    cell.number_format = number_format
    summary.append([])
    summary.append([data["method"]])
    used = {summary.title}
    for section in data["sections"]:
        for table in section["tables"]:
            name = f"{section['title']} · {table['title']}"[:31].replace("/", "-")
            base, counter = name, 2
            while name in used:
                suffix = f" {counter}"
                name, counter = base[: 31 - len(suffix)] + suffix, counter + 1
            used.add(name)
            sheet = workbook.create_sheet(name)
            sheet.append([f"{section['title']} · {table['title']}"])
            sheet["A1"].font = Font(bold=True)
            sheet.append(list(table["columns"]))
            units = units_of(table)
            for row in table["rows"]:
                values, formats = [], []
                for raw, unit in zip(row, units):
                    value, number_format = xlsx_value(raw, unit)
                    values.append(value)
                    formats.append(number_format)
                sheet.append(values)
                for cell, number_format in zip(sheet[sheet.max_row], formats):
                    if number_format:
                        cell.number_format = number_format
            chart = table.get("chart")
            if chart and table["rows"]:
                bars = BarChart()
                bars.title = table["title"]
                column = chart["column"] + 1
                bars.add_data(
                    Reference(sheet, min_col=column, min_row=2, max_row=len(table["rows"]) + 2),
                    titles_from_data=True,
                )
                bars.set_categories(
                    Reference(sheet, min_col=1, min_row=3, max_row=len(table["rows"]) + 2)
                )
                sheet.add_chart(bars, f"{chr(ord('A') + len(table['columns']) + 1)}2")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
