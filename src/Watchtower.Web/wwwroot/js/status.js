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
                    live.innerHTML = next.innerHTML;
                    if (window.watchtowerTimes) { window.watchtowerTimes.render(live); }
                }
            })
            .catch(function () { /* keep what is shown; try again next minute */ });
    }, 60000);
})();
