"""The command line, the API and the pages for children's records, end to end."""

import csv
import html

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from safeguarding.accounts.services import api_token_create
from safeguarding.children.models import AgencyRecord, LinkageRun, MatchReview, PostcodeArea, Source
from safeguarding.core.models import AuditEvent
from tests.children.conftest import SYSTEM, TODAY
from tests.conftest import make_persona, sign_in

HEADER = (
    "source,record_id,first_name,middle_names,last_name,date_of_birth,sex,nhs_number,postcode,address,address_from\n"
)
ROWS = (
    "ns-csc,C1,Oliver,James,Kowalski,2014-02-03,M,9990000018,NS1 4AB,1 Mill Lane,2023-01-01\n"
    "sv-gp,G1,Ollie,,Kowalski,2014-02-03,M,999 000 0018,SV1 2CD,5 Quay Street,2026-08-01\n"
    "ns-csc,C2,Maja,,Kowalski,2016-07-09,F,,NS1 4AB,1 Mill Lane,2023-01-01\n"
)


def test_the_command_line_imports_links_and_exports(sources, tmp_path, capsys):
    path = tmp_path / "records.csv"
    path.write_text(HEADER + ROWS)
    call_command("children", "import", str(path), "--reason", "test load")
    assert AgencyRecord.objects.count() == 3
    call_command("children", "link")
    out = tmp_path / "links.csv"
    call_command("children", "export-links", str(out), "--reason", "Checking the links for the data return")
    links = {(r["source"], r["record_id"]): r["child_id"] for r in csv.DictReader(out.open())}
    assert set(links) == {("ns-csc", "C1"), ("sv-gp", "G1"), ("ns-csc", "C2")}
    assert all(child.startswith("CH-") for child in links.values())
    assert links[("ns-csc", "C1")] == links[("sv-gp", "G1")]  # Oliver and Ollie, one NHS number
    assert links[("ns-csc", "C2")] != links[("ns-csc", "C1")]  # his sister
    assert LinkageRun.objects.get().status == "finished"
    export = AuditEvent.objects.get(action="export")
    assert export.purpose == "Checking the links for the data return" and export.changes["rows"] == 3


def test_a_bad_file_on_the_command_line_names_each_problem_and_writes_nothing(sources, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "ns-csc,,Ann,,Smith,2015-03-04,F,,NS1 4AB,,\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("children", "import", str(path))
    assert "bad.csv, row 2, column record_id: enter the record's id in its own system." in capsys.readouterr().err
    assert not AgencyRecord.objects.exists()


def test_a_wrong_cell_on_the_command_line_is_kept_flagged_and_listed_by_column(sources, tmp_path, capsys):
    # Issue 14, item 10: once refused ("1 problem(s); nothing was imported"), now stored.
    path = tmp_path / "flagged.csv"
    path.write_text(HEADER + "ns-csc,C1,Ann,,Smith,03/15/2015,F,,NS1 4AB,,\n")
    call_command("children", "import", str(path))
    out = capsys.readouterr().out
    assert "1 cell(s) kept as delivered but flagged" in out
    assert "date_of_birth: 1 flagged, e.g. flagged.csv, row 2, column date_of_birth: '03/15/2015' is not a date" in out
    record = AgencyRecord.objects.get()
    assert record.date_of_birth is None and record.flags["date_of_birth"]["value"] == "03/15/2015"


def test_sources_and_areas_are_registered_from_the_command_line(sources, tmp_path):
    call_command(
        "children", "add-source", "sv-police", "--name", "Police", "--organisation", "icb", "--kind", "police",
        "--area", "E06999002", "--contact-team", "Public Protection Unit", "--contact-phone", "0300 000 0000",
    )  # fmt: skip
    police = Source.objects.get(code="sv-police")
    assert (police.contact_team, police.contact_phone) == ("Public Protection Unit", "0300 000 0000")
    areas = tmp_path / "areas.csv"
    areas.write_text("prefix,area\nSV9,E06999002\nNS9 1,E06999001\n")
    call_command("children", "import-areas", str(areas))
    assert PostcodeArea.objects.get(prefix="NS9 1").area == sources["north"]
    ons = tmp_path / "onspd.csv"
    ons.write_text("pcd,pcds,oslaua\nSV7 1AA,SV7 1AA,E06999002\nXX1 1AA,XX1 1AA,E09999999\n")
    call_command("children", "import-areas", str(ons))
    assert PostcodeArea.objects.get(prefix="SV7 1").area == sources["south"]
    bad = tmp_path / "bad-areas.csv"
    bad.write_text("prefix,area\nSV9,NOWHERE\n")
    with pytest.raises(CommandError):
        call_command("children", "import-areas", str(bad))


def test_partner_systems_send_batches_for_their_own_sources_only(sources, client, db):
    admin = make_persona("administrator")
    _row, token = api_token_create(organisation=sources["csc"].organisation, name="CSC feed", actor=admin)
    headers = {"Authorization": f"Bearer {token}"}
    ok = {
        "records": [
            {
                "source": "ns-csc",
                "record_id": "A1",
                "first_name": "Aisha",
                "last_name": "Begum",
                "date_of_birth": "2017-01-02",
            }
        ]
    }
    response = client.post("/api/v1/children/records", ok, content_type="application/json", headers=headers)
    assert response.status_code == 201 and response.json()["created"] == 1
    not_ours = {"records": [{"source": "sv-gp", "record_id": "B1", "last_name": "Begum"}]}
    response = client.post("/api/v1/children/records", not_ours, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "source"
    assert not AgencyRecord.objects.filter(record_id="B1").exists()


def test_a_practitioner_loads_a_file_and_sees_every_problem_when_it_is_wrong(sources, client):
    from tests.factories import PostFactory, UserFactory

    # The council's practitioner loads the council's own system (issue 13: only one's own).
    practitioner = UserFactory(username="sam-council", roles=["mash_practitioner"])
    PostFactory(person=practitioner.person, organisation=sources["csc"].organisation)
    sign_in(client, practitioner)
    bad = HEADER + "ns-csc,C1,Ann,,Smith,2015-01-01,F,,NS1 4AB,,\nns-csc,C1,Anne,,Smith,2015-01-01,F,,ZZZ,,\n"
    response = client.post(
        reverse("children:upload"),
        {"file": _upload("bad.csv", bad), "reason": "monthly extract"},
    )
    assert response.status_code == 200
    assert "bad.csv, row 3: ns-csc record C1 is also on row 2 with different details" in html.unescape(
        response.content.decode()
    )
    assert not AgencyRecord.objects.exists()
    council_rows = "".join(line + "\n" for line in ROWS.splitlines() if line.startswith("ns-csc,"))
    response = client.post(
        reverse("children:upload"), {"file": _upload("good.csv", HEADER + council_rows), "reason": "monthly extract"}
    )
    assert response.status_code == 302 and AgencyRecord.objects.count() == 2
    event = AuditEvent.objects.get(object_type="children.importbatch")
    assert event.actor == practitioner and event.purpose == "monthly extract"
    # A mistyped postcode no longer refuses the file: the answer lists it, by column.
    flagged = HEADER + "ns-csc,C9,Ann,,Smith,2015-01-01,F,,ZZZ,,\n"
    response = client.post(reverse("children:upload"), {"file": _upload("z.csv", flagged), "reason": "monthly"})
    assert response.status_code == 302 and AgencyRecord.objects.filter(record_id="C9", postcode="").exists()
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "postcode: 1 flagged" in page
    assert "z.csv, row 2, column postcode: 'ZZZ' is not a UK postcode (e.g. NS1 4AB)." in page


def _upload(name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_practitioner_decides_a_pair_and_the_look_is_audited(sources, client):
    from safeguarding.children import records, services

    checked = records.check_rows(
        "r.csv",
        records.read_table("r.csv", (HEADER + ROWS).encode()),
        known_sources={"ns-csc", "sv-gp"},
        today=TODAY,
    )
    report = services.import_records(checked, actor=SYSTEM, origin="upload")
    a, b = sorted(report.created)[:2]
    review = MatchReview.objects.create(
        record_a_id=a,
        record_b_id=b,
        match_probability=0.7,
        match_weight=1.2,
        created_at=AgencyRecord.objects.get(pk=a).updated_at,
    )
    practitioner = make_persona("mash_practitioner")
    sign_in(client, practitioner)
    page = client.get(reverse("children:review", kwargs={"pk": review.pk}))
    assert page.status_code == 200 and "Kowalski" in page.content.decode()
    read = AuditEvent.objects.get(action="read", object_id=str(review.pk))
    assert read.actor == practitioner and "same child" in read.purpose
    response = client.post(reverse("children:review", kwargs={"pk": review.pk}), {"decision": "different"})
    assert response.status_code == 200 and "How do you know?" in response.content.decode()
    response = client.post(
        reverse("children:review", kwargs={"pk": review.pk}), {"decision": "same", "reason": "Same NHS number"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.decided_by, review.reason) == ("confirmed", practitioner, "Same NHS number")


def test_the_run_page_shows_progress_and_what_changed(sources, client):
    from safeguarding.children import services

    run = services.linkage_run_start(actor=SYSTEM, enqueue=False)
    sign_in(client, make_persona("analyst"))
    page = client.get(reverse("children:run", kwargs={"pk": run.pk}), headers={"HX-Request": "true"})
    body = page.content.decode()
    assert 'hx-trigger="every 2s"' in body and "<progress" in body and "<html" not in body
    LinkageRun.objects.filter(pk=run.pk).update(status="finished", report={"children": 12, "merged": 1})
    body = client.get(reverse("children:run", kwargs={"pk": run.pk})).content.decode()
    assert "hx-trigger" not in body and "What changed" in body and ">12<" in body.replace(" ", "")


@pytest.mark.spark
def test_the_same_run_works_on_spark(sources, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(HEADER + ROWS)
    call_command("children", "import", str(path))
    with pytest.raises(CommandError, match="no trained model"):
        call_command("children", "link", "--backend", "spark", "--reuse-model")
    call_command("children", "link")  # trains on DuckDB
    AgencyRecord.objects.update(child=None)
    # The same model, linking on Spark (training on Spark works too, but its fixed
    # cost per query makes it slow for a test).
    call_command("children", "link", "--backend", "spark", "--reuse-model")
    run = LinkageRun.objects.get(backend="spark")
    assert (run.status, run.model.version) == ("finished", LinkageRun.objects.get(backend="duckdb").model.version)
    children = dict(AgencyRecord.objects.values_list("record_id", "child_id"))
    assert children["C1"] == children["G1"] != children["C2"]


def test_the_home_page_tells_practitioners_and_analysts_what_waits(sources, client, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(HEADER + ROWS)
    call_command("children", "import", str(path))  # no model yet: the records wait for a run
    sign_in(client, make_persona("analyst"))
    home = client.get(reverse("core:home")).content.decode()
    assert "Records not linked yet" in home
    client.logout()
    a, b = AgencyRecord.objects.order_by("pk")[:2]
    MatchReview.objects.create(record_a=a, record_b=b, match_probability=0.6, match_weight=1.0, created_at=a.updated_at)
    sign_in(client, make_persona("mash_practitioner"))
    home = client.get(reverse("core:home")).content.decode()
    assert "Possible matches to review" in home and "Records not linked yet" not in home


def test_a_run_reusing_a_model_that_does_not_exist_is_refused_with_a_message(sources, client):
    sign_in(client, make_persona("analyst"))
    response = client.post(reverse("children:run_start"), {"backend": "duckdb", "reuse_model": "on"}, follow=True)
    assert "no trained model to reuse" in response.content.decode()
    assert not LinkageRun.objects.exists()
