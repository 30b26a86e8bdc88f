// Status page editor: the order of the shown checks, in place. Without this script the arrow
// buttons post the form to the Move handler, which shows it again reordered. With it, the same
// buttons (and drag and drop by the handle) move rows here, ticking a check adds it at the end,
// and the hidden Position fields are renumbered so Save stores what the owner sees.
(function () {
    var shownList = document.querySelector('[data-order-list]');
    var otherList = document.querySelector('[data-other-list]');
    if (!shownList || !otherList) { return; }
    var status = document.getElementById('order-status');
    var shownEmpty = document.getElementById('shown-empty');
    var otherEmpty = document.getElementById('other-empty');
    var dragging = null;

    function rows(list) { return Array.prototype.slice.call(list.querySelectorAll(':scope > li.choice')); }
    function nameOf(row) { return row.getAttribute('data-name'); }
    function say(text) { if (status) { status.textContent = text; } }

    // Positions follow the page: shown rows first, then the others; buttons and handles follow the list a row is in.
    function sync() {
        var shown = rows(shownList);
        var all = shown.concat(rows(otherList));
        all.forEach(function (row, i) {
            row.querySelector('[data-position]').value = String(i + 1);
            var isShown = i < shown.length;
            row.querySelector('.move').hidden = !isShown;
            row.querySelector('.handle').hidden = !isShown;
            row.querySelector('[data-move=up]').disabled = !isShown || i === 0;
            row.querySelector('[data-move=down]').disabled = !isShown || i === shown.length - 1;
        });
        if (shownEmpty) { shownEmpty.hidden = shown.length > 0; }
        if (otherEmpty) { otherEmpty.hidden = all.length > shown.length; }
    }

    function placeOf(row) {
        var shown = rows(shownList);
        return (shown.indexOf(row) + 1) + ' of ' + shown.length;
    }

    // The arrow buttons: move here instead of posting; focus stays on a usable button of the row.
    shownList.parentNode.addEventListener('click', function (e) {
        var button = e.target.closest('button[data-move]');
        if (!button) { return; }
        e.preventDefault();
        var row = button.closest('li.choice');
        var up = button.getAttribute('data-move') === 'up';
        var neighbour = up ? row.previousElementSibling : row.nextElementSibling;
        if (!neighbour) { return; }
        shownList.insertBefore(row, up ? neighbour : neighbour.nextElementSibling);
        sync();
        var again = row.querySelector('[data-move=' + (up ? 'up' : 'down') + ']');
        (again.disabled ? row.querySelector('[data-move=' + (up ? 'down' : 'up') + ']') : again).focus();
        say('“' + nameOf(row) + '” moved to position ' + placeOf(row) + '. Save to keep this order.');
    });

    // Ticking adds a check at the end of the shown ones; unticking puts it back among the others, by name.
    shownList.parentNode.addEventListener('change', function (e) {
        var box = e.target;
        if (box.type !== 'checkbox') { return; }
        var row = box.closest('li.choice');
        if (box.checked) {
            shownList.appendChild(row);
        } else {
            var next = rows(otherList).filter(function (r) { return nameOf(r).localeCompare(nameOf(row)) > 0; })[0] || null;
            otherList.insertBefore(row, next);
        }
        sync();
        box.focus(); // moving the row took focus away
        say(box.checked
            ? '“' + nameOf(row) + '” added at position ' + placeOf(row) + '. Save to show it.'
            : '“' + nameOf(row) + '” will no longer be shown. Save to keep this.');
    });

    // Drag and drop by the handle (HTML5 drag events). A row is draggable only while its handle is
    // held, so text in the rows stays selectable.
    shownList.addEventListener('mousedown', function (e) {
        var handle = e.target.closest('.handle');
        if (handle) { handle.closest('li.choice').draggable = true; }
    });
    shownList.addEventListener('mouseup', function (e) {
        var row = e.target.closest('li.choice');
        if (row && !dragging) { row.draggable = false; }
    });
    shownList.addEventListener('dragstart', function (e) {
        dragging = e.target.closest('li.choice');
        if (!dragging) { return; }
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', dragging.getAttribute('data-check-id'));
        dragging.classList.add('dragging');
    });
    shownList.addEventListener('dragover', function (e) {
        if (!dragging) { return; }
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        var over = e.target.closest('li.choice');
        if (!over || over === dragging || over.parentNode !== shownList) { return; }
        var box = over.getBoundingClientRect();
        shownList.insertBefore(dragging, e.clientY < box.top + box.height / 2 ? over : over.nextElementSibling);
    });
    shownList.addEventListener('drop', function (e) { if (dragging) { e.preventDefault(); } });
    shownList.addEventListener('dragend', function () {
        if (!dragging) { return; }
        var row = dragging;
        dragging = null;
        row.classList.remove('dragging');
        row.draggable = false;
        sync();
        say('“' + nameOf(row) + '” moved to position ' + placeOf(row) + '. Save to keep this order.');
    });

    document.querySelectorAll('.with-js').forEach(function (el) { el.hidden = false; });
    sync();
})();
