"""A report as CSV or as a spreadsheet (XLSX, openpyxl): the summary, the days or
months, the pages, the documents, the replays and the referrers, one table (or sheet) each."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from openpyxl import Workbook


def tables(report, series, page_label):
    totals = report.totals
    yield (
        _("Synthèse"),
        [_("Indicateur"), _("Valeur")],
        [
            [_("Pages vues"), totals.page_views],
            [_("Pages vues uniques"), totals.unique_page_views],
            [_("Visiteurs"), totals.visitors],
            [_("Nouveaux visiteurs"), totals.new_visitors],
            [_("Visiteurs connus"), totals.returning_visitors],
            [_("Visites"), totals.sessions],
            [_("Taux de rebond (%)"), round(totals.bounce_rate * 100, 1)],
            [_("Durée moyenne des visites (s)"), round(totals.average_duration_seconds)],
            [_("Téléchargements"), totals.downloads],
            [_("Téléchargements uniques"), totals.unique_downloads],
            [_("Replays lancés"), totals.replay_plays],
        ],
    )
    yield (
        _("Évolution"),
        [_("Période"), _("Pages vues"), _("Visiteurs"), _("Visites")],
        [[label, t.page_views, t.visitors, t.sessions] for label, t in series],
    )
    yield (
        _("Pages"),
        [
            _("Site"),
            _("Adresse"),
            _("Pages vues"),
            _("Pages vues uniques"),
            _("Visiteurs"),
            _("Entrées"),
        ],
        [
            [page_label(site_id), path, p.page_views, p.unique_page_views, p.visitors, p.entries]
            for (site_id, path), p in report.top_pages()
        ],
    )
    yield (
        _("Documents"),
        [_("Document"), _("Téléchargements"), _("Téléchargements uniques")],
        [[d.title, d.downloads, d.unique_downloads] for _pk, d in report.top_documents()],
    )
    yield (
        _("Replays"),
        [_("Événement"), _("Lectures"), _("Lectures uniques")],
        [[r.title, r.plays, r.unique_plays] for _pk, r in report.top_replays()],
    )
    yield (
        _("Sites référents"),
        [_("Site"), _("Visites")],
        [[host, n] for host, n in report.top_referrers()],
    )


def as_csv(report, series, page_label, filename):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title, header, rows in tables(report, series, page_label):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def as_xlsx(report, series, page_label, filename):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in tables(report, series, page_label):
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
