// Times in the reader's own time zone, on owner and public pages alike (both layouts load this).
// The server writes every <time datetime="…Z"> in UTC: relative ("5 min ago", StateText.Ago) or
// absolute ("3 Dec 2026, 14:05 UTC"). Here a relative time stays relative and keeps counting
// (its title gives the local date, time and zone); an absolute one becomes local with its zone
// ("3 Dec 2026, 09:05 EST"). Without JavaScript the server's text stays as it is.
(function () {
    var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    var zoneNames = null;
    try {
        zoneNames = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
    } catch (e) { /* an old browser: the offset is written instead */ }

    function pad(n) { return n < 10 ? '0' + n : String(n); }

    function zone(date) {
        if (zoneNames && zoneNames.formatToParts) {
            var parts = zoneNames.formatToParts(date);
            for (var i = 0; i < parts.length; i++) {
                if (parts[i].type === 'timeZoneName') { return parts[i].value; }
            }
        }
        var offset = -date.getTimezoneOffset();
        return 'UTC' + (offset < 0 ? '-' : '+') + pad(Math.floor(Math.abs(offset) / 60)) + ':' + pad(Math.abs(offset) % 60);
    }

    // Day, month and 24-hour time as the server writes them, in the reader's zone.
    function local(date) {
        return date.getDate() + ' ' + MONTHS[date.getMonth()] + ' ' + date.getFullYear() + ', ' +
            pad(date.getHours()) + ':' + pad(date.getMinutes()) + ' ' + zone(date);
    }

    // The thresholds of StateText.Ago; null past a day, when the date itself says more.
    function ago(date, now) {
        var seconds = (now - date) / 1000;
        if (seconds < 5) { return 'just now'; } // also a reader's clock a little behind the server's
        if (seconds < 60) { return Math.floor(seconds) + ' s ago'; }
        if (seconds < 3600) { return Math.floor(seconds / 60) + ' min ago'; }
        if (seconds < 86400) { return Math.floor(seconds / 3600) + ' h ago'; }
        return null;
    }

    function render(root) {
        var now = Date.now();
        var times = (root || document).querySelectorAll('time[datetime]');
        for (var i = 0; i < times.length; i++) {
            var el = times[i];
            var value = el.getAttribute('datetime');
            if (!value) { continue; } // "never"
            var date = new Date(value);
            if (isNaN(date.getTime())) { continue; }
            var kind = el.getAttribute('data-time');
            if (!kind) {
                kind = /^(just now|.* ago)$/.test(el.textContent.trim()) ? 'relative' : 'absolute';
                el.setAttribute('data-time', kind);
            }
            var text = kind === 'relative' ? ago(date, now) : null;
            el.textContent = text || local(date);
            el.title = text ? local(date) : '';
            if (!text) { el.removeAttribute('title'); }
        }
    }

    window.watchtowerTimes = { render: render, local: local };
    render(document);
    // Relative times keep counting while the page stays open.
    setInterval(function () { if (!document.hidden) { render(document); } }, 30000);
})();
