"""Shared steps for the browser tests."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from tolpuddle.members.tests.factories import UserFactory

PASSWORD = "a-long-demo-password"


def verified_user(**fields: Any) -> Any:
    """A sign-in whose email address is verified, as allauth requires."""
    user = UserFactory(password=PASSWORD, **fields)
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    return user


def sign_in(page: Any, base_url: str, email: str, *, next_url: str = "") -> None:
    page.goto(base_url + "/sign-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def give_authenticator(user: Any) -> str:
    """Give ``user`` an authenticator app (TOTP), as the back office requires;
    returns its secret, for :func:`sign_in_with_code`."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return str(secret)


def current_code(secret: str) -> str:
    """The authenticator app's code for now. Allauth allows no tolerance, so near
    the end of a 30-second step wait for the next one rather than send a code that
    may expire on the way."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def sign_in_with_code(
    page: Any,
    base_url: str,
    email: str,
    secret: str,
    *,
    next_url: str = "",
    password: str = PASSWORD,
) -> None:
    """Sign in through the real pages: email and password, then the code allauth
    asks for at /account/2fa/authenticate/."""
    page.goto(base_url + "/sign-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/2fa/authenticate/**")
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/2fa/authenticate/" not in url)


# What the page's own content (not the admin's menus) is checked for: forms that are
# plain HTML (a change is a POST, with its CSRF token; no control needs a script),
# every control named by a label, one h1 and no level of heading skipped, images
# with alternative text and no id used twice. Not an accessibility audit: the
# faults a form page most often has, found without a tool the project does not have.
_PAGE_FAULTS = """() => {
  const faults = [];
  const main = document.querySelector("main") || document.body;
  for (const form of main.querySelectorAll("form")) {
    const method = (form.getAttribute("method") || "get").toLowerCase();
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token && method !== "post") faults.push(`a form with a token is ${method}`);
    if (method === "post" && !token) faults.push("a POST form has no CSRF token");
    if (!form.querySelector("button:not([type=button]), input[type=submit]"))
      faults.push("a form has no submit button");
  }
  for (const link of main.querySelectorAll("a")) {
    const href = link.getAttribute("href") || "";
    if (!href || href === "#" || href.startsWith("javascript:"))
      faults.push(`a link needs a script: ${link.textContent.trim()}`);
  }
  for (const el of main.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button"].includes(el.type)) continue;
    const named = (el.labels && el.labels.length) || el.getAttribute("aria-label")
      || el.getAttribute("aria-labelledby");
    if (!named) faults.push(`no label for ${el.name || el.id}`);
  }
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) faults.push(`${h1s.length} h1 headings`);
  let level = 1;
  for (const h of main.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const next = Number(h.tagName[1]);
    if (next > level + 1)
      faults.push(`h${next} after h${level}: ${h.textContent.trim()}`);
    level = next;
  }
  for (const img of main.querySelectorAll("img:not([alt])"))
    faults.push(`an image without alt: ${img.src}`);
  const seen = new Set();
  for (const el of document.querySelectorAll("[id]")) {
    if (seen.has(el.id)) faults.push(`id used twice: ${el.id}`);
    seen.add(el.id);
  }
  return faults;
}"""


def assert_plain_accessible_page(page: Any, *, title: str) -> None:
    """Once the page headed ``title`` has loaded: its content works without
    JavaScript and has none of the obvious accessibility faults (``_PAGE_FAULTS``)."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.wait_for_load_state()
    faults = page.evaluate(_PAGE_FAULTS)
    assert not faults, f"{page.url}: {faults}"
