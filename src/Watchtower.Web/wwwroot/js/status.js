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
                    // Keep what the reader opened or chose (a group, a chart, its period) and where focus was.
                    var groups = {};
                    live.querySelectorAll('details[data-group]').forEach(function (d) { groups[d.getAttribute('data-group')] = d.open; });
                    var open = Array.prototype.map.call(live.querySelectorAll('details[open][id]:not([data-group])'), function (d) { return d.id; });
                    var picked = Array.prototype.map.call(live.querySelectorAll('.ranges input:checked'), function (r) { return r.id; });
                    var focused = document.activeElement && live.contains(document.activeElement) ? document.activeElement.id : null;
                    live.innerHTML = next.innerHTML;
                    live.querySelectorAll('details[data-group]').forEach(function (d) {
                        var id = d.getAttribute('data-group');
                        if (Object.prototype.hasOwnProperty.call(groups, id)) { d.open = groups[id]; }
                    });
                    open.forEach(function (id) { var d = document.getElementById(id); if (d) { d.open = true; } });
                    picked.forEach(function (id) { var r = document.getElementById(id); if (r) { r.checked = true; } });
                    if (focused) { var f = document.getElementById(focused); if (f) { f.focus(); } }
                    if (window.watchtowerTimes) { window.watchtowerTimes.render(live); }
                }
            })
            .catch(function () { /* keep what is shown; try again next minute */ });
    }, 60000);
})();
