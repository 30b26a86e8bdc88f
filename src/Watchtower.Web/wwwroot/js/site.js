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
// service until the owner picks one; fields that only apply to some services follow the choice.
(function () {
    var select = document.querySelector('[data-service-select]');
    if (!select) { return; }
    var port = document.getElementById('Input_Port');
    var proves = document.querySelector('[data-service-proves]');
    var portMap = JSON.parse(select.getAttribute('data-port-map') || '{}');
    var chosen = select.getAttribute('data-chosen') === 'true';
    function sync() {
        var option = select.options[select.selectedIndex];
        document.querySelectorAll('[data-show-for]').forEach(function (el) {
            var names = el.getAttribute('data-show-for').split(' ');
            el.hidden = names.indexOf(select.value) < 0;
        });
        if (proves && option) { proves.textContent = option.getAttribute('data-proves'); }
    }
    select.addEventListener('change', function () {
        chosen = true;
        var preset = select.options[select.selectedIndex].getAttribute('data-port');
        if (preset && port) { port.value = preset; }
        sync();
    });
    if (port) {
        port.addEventListener('input', function () {
            var suggestion = portMap[port.value];
            if (!chosen && suggestion) { select.value = suggestion; sync(); }
        });
    }
    sync();
})();
