// Starts Wagtail's date and time pickers from the data attributes that cms/templates/wagtailadmin/widgets/
// write instead of inline scripts, also in forms added later (InlinePanel children, refreshed filters).
(function () {
    var starters = ["initDateChooser", "initTimeChooser", "initDateTimeChooser"];

    function start(root) {
        root.querySelectorAll("span[data-picker]:not([data-picker-started])").forEach(function (marker) {
            var starter = window[marker.dataset.picker];
            if (starters.indexOf(marker.dataset.picker) === -1 || typeof starter !== "function") { return; }
            marker.setAttribute("data-picker-started", "");
            starter(marker.dataset.pickerFor, JSON.parse(marker.dataset.pickerConfig));
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        start(document);
        new MutationObserver(function (records) {
            records.forEach(function (record) {
                record.addedNodes.forEach(function (node) {
                    if (node.nodeType === Node.ELEMENT_NODE) { start(node.parentNode || node); }
                });
            });
        }).observe(document.body, {childList: true, subtree: true});
    });
})();
