// Campaign form: the audience count follows the chosen filters without a page load,
// and choosing another call fills in its texts where the editor has not typed yet.
document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-audience-count-url]");
    if (!section || !window.fetch) { return; }
    var names = ["organisation_kinds", "regions", "tags", "chosen_contacts"];
    var target = document.getElementById("audience-count");
    section.addEventListener("change", function () {
        var data = new FormData(section.closest("form"));
        var query = new URLSearchParams();
        names.forEach(function (name) {
            data.getAll(name).forEach(function (value) { query.append(name, value); });
        });
        fetch(section.dataset.audienceCountUrl + "?" + query.toString(), {credentials: "same-origin"})
            .then(function (response) { return response.json(); })
            .then(function (result) { if (result.html) { target.innerHTML = result.html; } })
            .catch(function () {});
    });
});

document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("campaign-call-prefills");
    var call = document.getElementById("id_call_page");
    if (!data || !call) { return; }
    var prefills = JSON.parse(data.textContent);
    var typed = {};
    ["name", "invitation_subject", "invitation_body", "reminder_subject", "reminder_body"].forEach(function (name) {
        var field = document.getElementById("id_" + name);
        if (field) { field.addEventListener("input", function () { typed[name] = true; }); }
    });
    call.addEventListener("change", function () {
        var texts = prefills[call.value];
        if (!texts) { return; }
        Object.keys(texts).forEach(function (name) {
            var field = document.getElementById("id_" + name);
            if (field && !typed[name]) { field.value = texts[name]; }
        });
    });
});
