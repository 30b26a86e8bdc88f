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
