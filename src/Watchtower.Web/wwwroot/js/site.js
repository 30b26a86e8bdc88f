// Suggest a slug from the page name while the owner has not typed one of their own.
(function () {
    document.querySelectorAll('[data-slug-target]').forEach(function (name) {
        var slug = document.querySelector(name.getAttribute('data-slug-target'));
        if (!slug) { return; }
        var touched = slug.value.length > 0;
        slug.addEventListener('input', function () { touched = slug.value.length > 0; });
        name.addEventListener('input', function () {
            if (touched) { return; }
            slug.value = name.value.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
                .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
        });
    });
})();

// TCP check form: picking a service fills its usual port; typing a well-known port suggests the
// service until the owner picks one; fields that only act on some services (or only over TLS)
// follow the choice. The server renders the same visibility, so the form also works without this.
(function () {
    var select = document.querySelector('[data-service-select]');
    if (!select) { return; }
    var port = document.querySelector('[data-port-input]');
    var proves = document.querySelector('[data-service-proves]');
    var portMap = JSON.parse(select.getAttribute('data-port-map') || '{}');
    var implicitTls = (select.getAttribute('data-implicit-tls') || '').split(' ');
    var chosen = select.getAttribute('data-chosen') === 'true';
    function usesTls() {
        if (implicitTls.indexOf(select.value) >= 0) { return true; }
        var toggles = document.querySelectorAll('[data-tls-toggle]');
        for (var i = 0; i < toggles.length; i++) {
            var box = toggles[i];
            var container = box.closest('[data-show-for]');
            if (box.checked && container && !container.hidden) { return true; }
        }
        return false;
    }
    function sync() {
        var option = select.options[select.selectedIndex];
        document.querySelectorAll('[data-show-for]').forEach(function (el) {
            var names = el.getAttribute('data-show-for').split(' ');
            el.hidden = names.indexOf(select.value) < 0;
        });
        var tls = usesTls();
        document.querySelectorAll('[data-show-tls]').forEach(function (el) { el.hidden = !tls; });
        if (proves && option) { proves.textContent = option.getAttribute('data-proves'); }
    }
    select.addEventListener('change', function () {
        chosen = true;
        var preset = select.options[select.selectedIndex].getAttribute('data-port');
        if (preset && port) { port.value = preset; }
        sync();
    });
    document.querySelectorAll('[data-tls-toggle]').forEach(function (box) { box.addEventListener('change', sync); });
    if (port) {
        port.addEventListener('input', function () {
            var suggestion = portMap[port.value];
            if (!chosen && suggestion) { select.value = suggestion; sync(); }
        });
    }
    sync();
})();

// "Test now": the result is rendered at the top of the form; bring it into view and to the reader's attention.
(function () {
    var result = document.getElementById('test-result');
    if (!result) { return; }
    result.scrollIntoView({ block: 'start' });
    result.focus({ preventScroll: true });
})();

// Copy buttons next to public addresses (_PublicAddress): shown only where the Clipboard API
// works (a secure context); without it the address stays a link anyone can select and copy.
(function () {
    if (!navigator.clipboard || !window.isSecureContext) { return; }
    document.querySelectorAll('button[data-copy]').forEach(function (button) {
        var source = document.querySelector(button.getAttribute('data-copy'));
        var label = button.querySelector('.copy-label');
        var status = button.parentNode.querySelector('[data-copy-status]');
        if (!source || !label) { return; }
        var timer = 0;
        function say(text, copied) {
            label.textContent = copied ? 'Copied' : 'Copy';
            button.classList.toggle('copied', copied);
            if (status) { status.textContent = text; }
        }
        button.hidden = false;
        button.addEventListener('click', function () {
            var text = source.getAttribute('href') || source.textContent.trim();
            navigator.clipboard.writeText(text).then(function () {
                say('Copied ' + text + ' to the clipboard.', true);
                clearTimeout(timer);
                timer = setTimeout(function () { say('', false); }, 2500);
            }, function () {
                // Refused (permissions): select the address so Ctrl+C copies it.
                var range = document.createRange();
                range.selectNodeContents(source);
                var selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                say('Could not copy; the address is selected, press Ctrl+C to copy it.', false);
            });
        });
    });
})();
