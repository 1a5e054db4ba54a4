"""What the browser tests do on every page: sign in through the form, save a screenshot to look at."""

from __future__ import annotations


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def shot(page, tmp_path, name: str):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print("screenshot:", path)
    return path
