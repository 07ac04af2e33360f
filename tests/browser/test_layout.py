"""The shell of every page on a phone and on a laptop: the main menu behind a "Menu" button
at 390 px and open at 1,280 px, wide tables as labelled cards on a phone, favicon, and no
console error (htmx injects no inline style that the CSP would block)."""

from browser_support import BrowserTestCase, browser_marks
from personas import PASSWORD, build_world

pytestmark = browser_marks

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


class LayoutBrowserTests(BrowserTestCase):
    def setUp(self):
        self.world = build_world()

    def signed_in(self, viewport):
        page = self.browser.new_page(viewport=viewport)
        self.console_errors = []
        page.on(
            "console", lambda message: self.console_errors.append(message.text) if message.type == "error" else None
        )
        page.goto(f"{self.live_server_url}/app/login/")
        page.fill("input[name=username]", self.world.alice.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        return page

    def test_the_menu_folds_behind_a_button_on_a_phone(self):
        page = self.signed_in(PHONE)
        page.goto(f"{self.live_server_url}/app/agreements/")
        button = page.locator("nav.site-nav .menu-button")
        self.assertTrue(button.is_visible())
        self.assertFalse(page.locator("#site-menu").is_visible())
        self.assertGreaterEqual(button.bounding_box()["height"], 44)
        button.click()
        self.assertEqual(button.get_attribute("aria-expanded"), "true")
        link = page.locator("#site-menu a", has_text="Mitra")
        self.assertTrue(link.is_visible())
        self.assertGreaterEqual(link.bounding_box()["height"], 44, "menu links are 44 px touch targets")
        page.keyboard.press("Escape")
        self.assertFalse(page.locator("#site-menu").is_visible())

    def test_the_menu_is_open_on_a_laptop(self):
        page = self.signed_in(LAPTOP)
        self.assertFalse(page.locator("nav.site-nav .menu-button").is_visible())
        self.assertTrue(page.locator("#site-menu a", has_text="Mitra").is_visible())

    def test_a_wide_table_becomes_labelled_cards_on_a_phone(self):
        page = self.signed_in(PHONE)
        page.goto(f"{self.live_server_url}/app/agreements/")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), PHONE["width"])
        table = page.locator("main table").first
        self.assertIn("stacked", table.get_attribute("class"))
        self.assertEqual(table.locator("tbody td").first.get_attribute("data-label"), "Judul")

    def test_an_agreement_page_logs_no_console_error(self):
        page = self.signed_in(LAPTOP)
        page.goto(f"{self.live_server_url}/app/agreements/{self.world.pks.pk}/")
        page.wait_for_load_state("networkidle")
        self.assertEqual(self.console_errors, [])

    def test_the_favicon_is_served(self):
        page = self.browser.new_page()
        response = page.goto(f"{self.live_server_url}/favicon.ico")
        self.assertEqual(response.status, 200)
        self.assertIn(response.headers["content-type"], {"image/vnd.microsoft.icon", "image/x-icon"})
