// Campaign form: the audience count follows the chosen filters without a page load.
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
