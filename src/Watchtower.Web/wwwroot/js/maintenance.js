// A new maintenance window: preselect the owner's own time zone (the server cannot know it).
// Without JavaScript the form starts at UTC, and the owner chooses.
(function () {
    var select = document.querySelector('select[data-local-zone="pick"]');
    if (!select || !window.Intl) { return; }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === zone) { select.value = zone; return; }
    }
})();
