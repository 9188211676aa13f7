/* The "Gekozen contacten" chooser of the campaign form: search contacts page by page and tick the ones to add.
   Everything from the server is inserted as text, never as HTML. */
(function () {
    "use strict";

    function label(contact) {
        var text = contact.name;
        if (contact.organisation) { text += " – " + contact.organisation; }
        return text;
    }

    function setUp(chooser) {
        var panel = chooser.querySelector("[data-search-panel]");
        var query = chooser.querySelector("[data-query]");
        var status = chooser.querySelector("[data-status]");
        var results = chooser.querySelector("[data-results]");
        var more = chooser.querySelector("[data-more]");
        var chosen = chooser.querySelector("[data-chosen]");
        var none = chooser.querySelector("[data-none]");
        var fieldName = chooser.dataset.fieldName;
        var page = 1;

        function isChosen(id) {
            return Boolean(chosen.querySelector("input[value='" + String(Number(id)) + "']"));
        }

        function choose(contact, button) {
            if (!isChosen(contact.id)) {
                var item = document.createElement("li");
                var itemLabel = document.createElement("label");
                var box = document.createElement("input");
                box.type = "checkbox";
                box.name = fieldName;
                box.value = String(contact.id);
                box.checked = true;
                itemLabel.appendChild(box);
                itemLabel.appendChild(document.createTextNode(" " + label(contact)));
                item.appendChild(itemLabel);
                chosen.appendChild(item);
                none.hidden = true;
                box.dispatchEvent(new Event("change", {bubbles: true}));
            }
            button.disabled = true;
            button.textContent = "Gekozen";
        }

        function show(contact) {
            var item = document.createElement("li");
            var text = document.createElement("span");
            text.textContent = label(contact);
            item.appendChild(text);
            if (contact.email) {
                var address = document.createElement("span");
                address.className = "contact-chooser__email";
                address.textContent = contact.email;
                item.appendChild(document.createTextNode(" "));
                item.appendChild(address);
            }
            var button = document.createElement("button");
            button.type = "button";
            button.className = "button button-small";
            if (isChosen(contact.id)) {
                button.disabled = true;
                button.textContent = "Gekozen";
            } else {
                button.textContent = "Toevoegen";
                var hidden = document.createElement("span");
                hidden.className = "w-sr-only";
                hidden.textContent = ": " + contact.name;
                button.appendChild(hidden);
            }
            button.addEventListener("click", function () { choose(contact, button); });
            item.appendChild(document.createTextNode(" "));
            item.appendChild(button);
            results.appendChild(item);
        }

        function search(nextPage) {
            var params = new URLSearchParams({q: query.value.trim(), p: String(nextPage)});
            status.textContent = "Bezig met zoeken…";
            fetch(chooser.dataset.searchUrl + "?" + params.toString(), {credentials: "same-origin"})
                .then(function (response) {
                    if (!response.ok) { throw new Error(String(response.status)); }
                    return response.json();
                })
                .then(function (data) {
                    if (nextPage === 1) { results.textContent = ""; }
                    page = data.page;
                    data.results.forEach(show);
                    status.textContent = data.count === 0 ? "Geen contacten gevonden." :
                        (data.count === 1 ? "1 contact gevonden." : data.count + " contacten gevonden.");
                    more.hidden = !data.has_next;
                })
                .catch(function () {
                    status.textContent = "Zoeken lukte niet. Laad de pagina opnieuw en probeer het nog eens.";
                });
        }

        query.addEventListener("keydown", function (event) {
            // Enter searches instead of saving the campaign.
            if (event.key === "Enter") {
                event.preventDefault();
                search(1);
            }
        });
        chooser.querySelector("[data-search]").addEventListener("click", function () { search(1); });
        more.addEventListener("click", function () { search(page + 1); });
        chosen.addEventListener("change", function () {
            none.hidden = Boolean(chosen.querySelector("input:checked"));
        });
        panel.hidden = false;
    }

    document.addEventListener("DOMContentLoaded", function () {
        if (!window.fetch) { return; }
        document.querySelectorAll("[data-contact-chooser]").forEach(setUp);
    });
}());
