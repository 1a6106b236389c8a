"""Success messages appear where the person is looking: right under the page's heading,
read out politely (role="status"); the steps offered there say why they wait."""

import re

from tests.web.conftest import open_application_id, sign_in


def test_after_a_step_the_message_is_right_under_the_heading(demo, client):
    sedia = open_application_id(demo, "ASDI Sedia")
    sign_in(client, "coordinator@informest.example")
    response = client.post(
        f"/applications/{sedia}/events/withdraw", data={"confirmed": "yes"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    main = page[page.index('<main id="main"') :]
    heading, message = main.index("</h1>"), main.index('role="status"')
    assert heading < message < main.index("data-next-step")
    assert re.search(r'alert-success[^"]*" role="status">\s*Done: Withdraw\.', main)
    assert main[:heading].count("alert") == 0  # not above the heading


def test_a_page_without_a_heading_of_its_own_keeps_its_messages(demo, client):
    sign_in(client, "coordinator@informest.example")
    client.post("/account", data={"name": "Giulia Rossi", "locale": "en"})
    page = client.get("/account").get_data(as_text=True)
    assert page.count("alert-success") == 1  # shown once, under the heading
    assert page.index("</h1>") < page.index("alert-success")


def test_steps_that_cannot_succeed_yet_are_disabled_with_the_reason(demo, client):
    polo = open_application_id(demo, "Polo Tecnologico di Pordenone")
    sign_in(client, "coordinator@informest.example")
    page = client.get(f"/applications/{polo}").get_data(as_text=True)
    refused = re.search(
        r'<div class="step-refused" data-refused="issue_label">.*?</div>', page, re.S
    )
    assert refused, "issue the label is not shown as waiting"
    assert re.search(r"<button[^>]*disabled[^>]*aria-describedby=\"why-issue_label\"", refused[0])
    assert "The consultant has not delivered the report yet." in refused[0]
    assert 'data-confirm="issue_label"' not in page  # not offered as a step to take
    assert 'data-event="assign_consultant"' not in page
    sign_in(client, "luis.ortega@experts.example")
    page = client.get(f"/applications/{polo}").get_data(as_text=True)
    assert re.search(r'data-refused="deliver_report">.*?The report is not complete', page, re.S)
