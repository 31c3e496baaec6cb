// Progressive enhancement for the chat: GOV.UK components, and sending without a page reload.
// No cookies, no localStorage, no sessionStorage: everything lives in this page only.
import { initAll } from "/static/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported", "js-enabled");
initAll();

const form = document.getElementById("chat-form");
const log = document.getElementById("chat-log");
const box = document.getElementById("message");

function item(who, text, choices) {
  const li = document.createElement("li");
  li.className = "govuk-body " + (who === "you" ? "app-chat-log__you" : "app-chat-log__bot");
  const label = document.createElement("span");
  label.className = "govuk-visually-hidden";
  label.textContent = who === "you" ? "You said:" : "Speak Up said:";
  const body = document.createElement("span");
  body.className = "app-chat-log__text";
  // Links in replies (helplines) become real links; everything else stays plain text.
  for (const part of text.split(/(https:\/\/[^\s]+)/)) {
    if (part.startsWith("https://")) {
      const a = document.createElement("a");
      a.className = "govuk-link";
      a.href = part;
      a.rel = "noreferrer noopener";
      a.textContent = part;
      body.append(a);
    } else {
      body.append(document.createTextNode(part));
    }
  }
  label.textContent += " ";
  li.append(label, body);
  if (choices && choices.length) {
    const ol = document.createElement("ol");
    ol.className = "govuk-list govuk-list--number";
    for (const c of choices) {
      const opt = document.createElement("li");
      opt.textContent = c;
      ol.append(opt);
    }
    li.append(ol);
  }
  log.append(li);
}

function setChoices(choices) {
  const group = document.getElementById("choice-buttons");
  group.replaceChildren();
  choices.forEach((label, i) => {
    const b = document.createElement("button");
    b.type = "submit";
    b.name = "choice";
    b.value = String(i + 1);
    b.className = "govuk-button govuk-button--secondary";
    b.textContent = label;
    group.append(b);
  });
}

// Kiosk mode (a tablet lent by a partner): after inactivity, or soon after Finish, go back to a
// fresh welcome. location.replace() leaves no history entry for the next person to go back to.
const kioskUrl = form && form.dataset.kioskUrl;
let idleTimer;
function resetKioskSoon(seconds) {
  if (!kioskUrl) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => window.location.replace(kioskUrl), seconds * 1000);
}
if (kioskUrl) {
  const idle = Number(form.dataset.kioskIdle);
  for (const kind of ["keydown", "pointerdown", "input"]) {
    document.addEventListener(kind, () => resetKioskSoon(idle));
  }
  resetKioskSoon(idle);
}

if (form && box) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new URLSearchParams(new FormData(form));
    const submitter = event.submitter;
    const typed = submitter && submitter.name === "choice"
      ? (submitter.value === "start" ? "" : submitter.textContent)
      : box.value;
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    let response;
    try {
      response = await fetch("/chat", { method: "POST", body: data, credentials: "omit", cache: "no-store" });
    } catch (error) {
      form.submit();  // fall back to a plain post
      return;
    }
    if (!response.ok) {
      item("bot", response.status === 413 ? "That is too long to send at once. Please send a shorter message." : "Sorry, something went wrong. Please try again.");
      return;
    }
    const { replies } = await response.json();
    const finished = submitter && submitter.value === "bye";
    if (typed.trim()) item("you", typed);
    document.getElementById("start-button")?.remove();
    document.getElementById("chat-input").hidden = false;
    for (const r of replies) item("bot", r.text, r.choices);
    form.elements.message_id.value = response.headers.get("x-next-message-id");
    const last = replies[replies.length - 1];
    setChoices(last && last.choices ? last.choices : []);
    // Clear only what was sent: anything typed while waiting stays.
    if (box.value === typed) box.value = "";
    box.focus();
    log.lastElementChild?.scrollIntoView({ block: "nearest" });
    if (finished) resetKioskSoon(Number(form.dataset.kioskFinish));
  });
}
