// Keep an open status page current without a full reload (a meta refresh would move focus and
// fails WCAG 2.2.1): fetch the page again every minute and swap its content in place.
(function () {
    var live = document.getElementById('live');
    if (!live || !window.fetch || !window.DOMParser) { return; }
    setInterval(function () {
        if (document.hidden) { return; }
        fetch(window.location.href, { headers: { 'Accept': 'text/html' }, cache: 'no-store' })
            .then(function (r) { return r.ok ? r.text() : null; })
            .then(function (html) {
                if (!html) { return; }
                var next = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
                if (next) {
                    // Keep the groups the reader opened or closed as they left them.
                    var open = {};
                    live.querySelectorAll('details[data-group]').forEach(function (d) { open[d.getAttribute('data-group')] = d.open; });
                    live.innerHTML = next.innerHTML;
                    live.querySelectorAll('details[data-group]').forEach(function (d) {
                        var id = d.getAttribute('data-group');
                        if (Object.prototype.hasOwnProperty.call(open, id)) { d.open = open[id]; }
                    });
                    if (window.watchtowerTimes) { window.watchtowerTimes.render(live); }
                }
            })
            .catch(function () { /* keep what is shown; try again next minute */ });
    }, 60000);
})();
