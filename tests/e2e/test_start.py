from tests.e2e.conftest import assert_accessible, login


def test_editor_logs_in_and_sees_who_she_acts_for(page, demo_data):
    page.goto("/")
    assert_accessible(page)

    page.get_by_role("link", name="Logg inn").first.click()
    assert_accessible(page)
    login(page, "utfyller@trondheim.example.no")

    acting = page.locator("#who-heading + *")
    assert "Trondheim - Tråante kommune" in acting.inner_text()
    assert "utfyller" in acting.inner_text()
    assert page.get_by_role("heading", name="Åpne søknadsrunder").is_visible()
    assert_accessible(page)


def test_wrong_password_shows_an_error_summary(page, demo_data):
    page.goto("/logg-inn/")
    page.get_by_label("E-post").fill("utfyller@trondheim.example.no")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()

    summary = page.get_by_role("alert")
    assert "Skjemaet har feil som må rettes" in summary.inner_text()
    assert_accessible(page)


def test_keyboard_user_reaches_main_content_with_the_skip_link(page, demo_data):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til hovedinnhold")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
