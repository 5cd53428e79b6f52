/* Accessible names for CKAN's select2 widgets (tags, formats, agencies).
 *
 * select2 hides the labelled input and draws its own combobox, which has no
 * accessible name, so screen readers announce an unnamed field.  Each
 * widget gets the text of its original field's <label>.
 */
(function () {
  function nameWidgets() {
    document.querySelectorAll('.select2-container').forEach(function (container) {
      var original = container.previousElementSibling;
      var label = original && original.id && document.querySelector('label[for="' + original.id + '"]');
      if (!label) { return; }
      container.querySelectorAll('.select2-selection, .select2-search__field, .select2-choices input, .select2-choice').forEach(function (el) {
        if (!el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) {
          el.setAttribute('aria-label', label.textContent.replace(/\s+/g, ' ').trim());
        }
      });
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    nameWidgets();
    new MutationObserver(nameWidgets).observe(document.body, {childList: true, subtree: true});
  });
})();
