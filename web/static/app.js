// Progressive enhancement for the chat: GOV.UK components, and sending without a page reload.
// No cookies, no localStorage, no sessionStorage: everything lives in this page only. The server
// renders every new part (log items, form controls) so wording and links match the page without
// JavaScript.
import { initAll } from "/static/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported", "js-enabled");
initAll();

const form = document.getElementById("chat-form");
const log = document.getElementById("chat-log");
const controls = document.getElementById("chat-controls");

// Show the first new part of a reply (a safety reply always comes first) at the top of the
// screen, and move focus to it so screen readers read it out.
function showFirst(item) {
  if (!item) return;
  item.scrollIntoView({ block: "start" });
  item.focus({ preventScroll: true });
}

// Kiosk mode (a tablet lent by a partner): after inactivity, or soon after Finish, go back to a
// fresh welcome. location.replace() leaves no history entry for the next person to go back to.
// Before an inactivity reset, warn and let the person ask for more time (WCAG 2.2.1).
const kiosk = document.body.dataset;
const kioskUrl = kiosk.kioskUrl;
const warning = document.getElementById("kiosk-warning");
let idleTimer;
let warnTimer;
let tick;
function resetKioskSoon(seconds, warn) {
  if (!kioskUrl) return;
  clearTimeout(idleTimer);
  clearTimeout(warnTimer);
  clearInterval(tick);
  if (warning) warning.hidden = true;
  idleTimer = setTimeout(() => window.location.replace(kioskUrl), seconds * 1000);
  const lead = Math.min(30, Math.floor(seconds / 3));
  if (warn && warning && lead >= 5) {
    warnTimer = setTimeout(() => {
      let left = lead;
      const counter = document.getElementById("kiosk-countdown");
      counter.textContent = String(left);
      warning.hidden = false;
      document.getElementById("kiosk-extend").focus();
      tick = setInterval(() => { left -= 1; if (left >= 0) counter.textContent = String(left); }, 1000);
    }, (seconds - lead) * 1000);
  }
}
// "Exit this page" replaces this page's history entry (each turn replaced it in place), so Back
// cannot reopen the chat or its help replies for the next person. On a lent tablet it goes to a
// fresh welcome. Shift pressed three times (GOV.UK's shortcut) sets location.href itself: the
// class it adds to the page is the cue to turn that into a replace.
const exitButton = document.querySelector(".govuk-exit-this-page__button");
const hidden = "govuk-exit-this-page-hide-content";
let exiting = false;
function exitTo() {
  if (exiting) return;
  exiting = true;
  document.body.classList.add(hidden);  // the chat disappears at once, as GOV.UK's does
  window.location.replace(exitButton.href);  // via /exit, which closes the chat's pages
}
if (exitButton) {
  exitButton.addEventListener("click", (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    exitTo();
  }, true);
  new MutationObserver(() => {
    if (document.body.classList.contains(hidden)) exitTo();
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
}
const kioskIdle = Number(kiosk.kioskIdle || 0);
let kioskEnded = false;
if (kioskUrl) {
  for (const kind of ["keydown", "pointerdown", "input"]) {
    document.addEventListener(kind, () => { if (!kioskEnded) resetKioskSoon(kioskIdle, true); });
  }
  document.getElementById("kiosk-extend")?.addEventListener("click", () => resetKioskSoon(kioskIdle, true));
  const ended = document.getElementById("new-chat");
  kioskEnded = Boolean(ended);
  // After Finish: soon; if the page repeats the code, warned first, so it can be written down.
  const code = Boolean(document.getElementById("your-code"));
  resetKioskSoon(ended ? Number(kiosk.kioskFinish) : kioskIdle, !ended || code);
}

if (form && controls) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new URLSearchParams(new FormData(form));
    const submitter = event.submitter;
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const box = document.getElementById("message");
    const typed = box ? box.value : "";
    const picked = Array.from(form.querySelectorAll("input[name=choice]:checked"))
      .map((input) => form.querySelector(`label[for="${input.id}"]`)?.textContent.trim() || "");
    for (const b of form.querySelectorAll("button")) b.disabled = true;
    let response;
    try {
      response = await fetch("/chat", { method: "POST", body: data, credentials: "omit", cache: "no-store" });
    } catch (error) {
      // Fall back to a plain post, with the button that was pressed.
      if (submitter && submitter.name) {
        const pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.append(pressed);
      }
      form.submit();
      return;
    }
    for (const b of form.querySelectorAll("button")) b.disabled = false;
    if (!response.ok) {
      const li = document.createElement("li");
      li.className = "govuk-body app-chat-log__bot";
      li.tabIndex = -1;
      li.textContent = response.status === 413
        ? "That is too long to send at once. It is still in the box: please send a shorter part."
        : "Sorry, something went wrong and that was not sent. It is still in the box: please try again.";
      log.append(li);
      showFirst(li);
      return;
    }
    const body = await response.json();
    if (body.ended && body.view) {
      // The end page alone, as without JavaScript (with the code repeated, and a kiosk's reset):
      // nothing said earlier stays on screen, and replace() leaves no way Back to it.
      window.location.replace(`${body.view}#reply`);
      return;
    }
    const before = log.children.length;
    if (picked.length && !typed.trim() && body.log) {
      const you = document.createElement("li");
      you.className = "govuk-body app-chat-log__you";
      const label = document.createElement("span");
      label.className = "govuk-visually-hidden";
      label.textContent = "You chose: ";
      you.append(label, document.createTextNode(picked.join(", ")));
      log.append(you);
    }
    log.insertAdjacentHTML("beforeend", body.log);
    const fresh = Array.from(log.children).slice(before);
    const still = document.getElementById("message");
    const typedSince = still && still.value !== typed ? still.value : "";
    controls.innerHTML = body.controls;
    initAll({ scope: controls });
    const box2 = document.getElementById("message");
    if (box2 && typedSince && !box2.value) box2.value = typedSince;  // typed while waiting: kept
    document.title = body.title;
    if (body.view) history.replaceState(null, "", body.view);
    for (const [name, href] of Object.entries(body.links || {})) {
      for (const a of document.querySelectorAll(`a[data-link="${name}"]`)) a.href = href;
    }
    document.querySelector("#chat-controls .govuk-error-summary")?.setAttribute("tabindex", "-1");
    const firstBot = fresh.find((li) => !li.classList.contains("app-chat-log__you"));
    if (firstBot) showFirst(firstBot);
    else if (body.controls.includes('id="delete" open')) showFirst(document.getElementById("delete"));
  });
}
