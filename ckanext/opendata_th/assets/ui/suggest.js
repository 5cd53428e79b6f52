/* Dataset-name and tag suggestions as you type (Thai or English).
 *
 * Enhances a search input with a native <datalist>, filled from CKAN's own
 * autocomplete endpoints (which match Thai text anywhere in a title or tag,
 * so "ผู้สูง" suggests "จำนวนผู้สูงอายุจำแนกตามจังหวัด").  Without JavaScript
 * the input is an ordinary search field.
 */
this.ckan.module('opendata-th-suggest', function ($) {
  return {
    options: {minLength: 2, delay: 200, limit: 6},

    initialize: function () {
      $.proxyAll(this, /_on/);
      this.list = document.getElementById(this.el.attr('list'));
      this.timer = null;
      this.el.on('input', this._onInput);
    },

    _onInput: function () {
      clearTimeout(this.timer);
      var term = $.trim(this.el.val());
      if (term.length < this.options.minLength || !this.list) { return; }
      this.timer = setTimeout(this._onTimer, this.options.delay);
    },

    _onTimer: function () {
      var term = $.trim(this.el.val());
      var limit = this.options.limit;
      var datasets = $.getJSON(this.sandbox.client.url('/api/2/util/dataset/autocomplete'), {incomplete: term, limit: limit});
      var tags = $.getJSON(this.sandbox.client.url('/api/2/util/tag/autocomplete'), {incomplete: term, limit: limit});
      $.when(datasets, tags).done(this._onResults);
    },

    _onResults: function (datasets, tags) {
      var seen = {};
      var values = [];
      $.each((datasets[0].ResultSet || {}).Result || [], function (i, item) { values.push(item.title || item.name); });
      $.each((tags[0].ResultSet || {}).Result || [], function (i, item) { values.push(item.Name); });
      $(this.list).empty();
      var list = this.list;
      $.each(values, function (i, value) {
        if (value && !seen[value]) {
          seen[value] = true;
          list.appendChild(new Option(value, value));
        }
      });
    }
  };
});
