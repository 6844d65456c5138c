"""Navigation on every device: the *visible* menu button and contents button
open (and close) the chapter list and the page's contents, by touch on a
phone (390 px) and a tablet (820 px), and by mouse and keyboard on a desktop
(1280 px, where the chapter list shows from the start and the button hides
it). With pydata-sphinx-theme 0.17 this needs `navbar_persistent: []` in
_config.yml (else the handler is bound to a hidden .primary-toggle): see
requirements.in."""

from __future__ import annotations

import pytest

from support import offline_context

PAGE = "chapters/trends.html"
OPEN = "document.getElementById('{}').open"


def _visible(page, selector):
    shown = [e for e in page.locator(selector).all() if e.is_visible()]
    assert shown, f"no visible {selector}"
    return shown[0]


def _press(page, button, how):
    if how == "touch":
        button.tap()
    elif how == "mouse":
        button.click()
    else:
        button.focus()
        page.keyboard.press("Enter")
    page.wait_for_timeout(300)


@pytest.mark.parametrize("width,how", [(390, "touch"), (820, "touch"), (390, "keyboard"), (820, "mouse")])
def test_on_small_screens_the_buttons_open_and_close_the_navigation(browser, served_book, width, how):
    touch = how == "touch"
    context = offline_context(browser, served_book, viewport={"width": width, "height": 844},
                              is_mobile=touch, has_touch=touch)
    try:
        page = context.new_page()
        page.goto(f"{served_book}/{PAGE}", wait_until="load")
        for toggle, dialog, link in [(".primary-toggle", "pst-primary-sidebar-modal", "Glossary"),
                                     (".secondary-toggle", "pst-secondary-sidebar-modal", "New regionalism is on the rise")]:
            assert page.evaluate(OPEN.format(dialog)) is False
            _press(page, _visible(page, toggle), how)
            assert page.evaluate(OPEN.format(dialog)) is True, f"{toggle} did not open the navigation at {width} px"
            # What it shows can be used: a link of the list is visible.
            assert page.locator(f"#{dialog} a", has_text=link).first.is_visible()
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            assert page.evaluate(OPEN.format(dialog)) is False, f"{toggle}'s navigation did not close"
    finally:
        context.close()


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_on_a_desktop_the_menu_button_hides_and_shows_the_chapter_list(browser, served_book, how):
    context = offline_context(browser, served_book, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{served_book}/{PAGE}", wait_until="load")
        sidebar = page.locator(".bd-sidebar-primary")
        assert sidebar.is_visible()
        assert page.locator(".bd-toc-nav, #pst-page-toc-nav").first.is_visible(), "the page's contents show"
        button = _visible(page, ".primary-toggle")
        _press(page, button, how)
        assert not sidebar.is_visible() or sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 1
        _press(page, button, how)
        assert sidebar.is_visible() and sidebar.bounding_box()["x"] >= 0
    finally:
        context.close()


def test_no_script_error_on_any_width(browser, served_book):
    """The theme's scrollspy once threw on ids with a dot (sobook/sphinx_ext/pages.py)."""
    for width in (390, 820, 1280):
        context = offline_context(browser, served_book, viewport={"width": width, "height": 844})
        errors = []
        try:
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{served_book}/{PAGE}", wait_until="load")
            page.mouse.wheel(0, 3000)
            page.wait_for_timeout(300)
        finally:
            context.close()
        assert not errors, (width, errors)
