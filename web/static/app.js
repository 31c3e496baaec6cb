// Progressive enhancement for the chat: GOV.UK components, and sending without a page reload.
// No cookies, no localStorage, no sessionStorage: everything lives in this page only.
import { initAll } from "/static/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported", "js-enabled");
initAll();
