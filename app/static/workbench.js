// The workbench editor: the bpmn-js modeler (MinyiModeler, from app/static/build) wired to the
// working-copy endpoints: save, check (problems listed and marked at their element, lint's warnings listed
// after them: they do not stop publishing), publish.
(function () {
  var box = document.getElementById('editor');
  if (!box || typeof MinyiModeler === 'undefined') { return; }
  var data = JSON.parse(document.getElementById('editor-data').textContent);
  var text = data.messages;
  var status = document.getElementById('editor-status');
  var list = document.getElementById('problems');
  var count = document.getElementById('problem-count');
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var lock = box.dataset.lock === '' ? null : parseInt(box.dataset.lock, 10);
  var base = box.dataset.base === '' ? null : parseInt(box.dataset.base, 10);
  var modeler = null;
  var dirty = false;

  function say(message, kind) {
    status.textContent = message;
    status.className = kind || 'muted';
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRFToken': token },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, body: json };
      });
    });
  }

  function reason(result) {
    var error = result.body && result.body.error;
    if (!error) { return 'HTTP ' + result.status; }
    var details = [];
    Object.keys(error.details || {}).forEach(function (key) {
      if (key !== 'problems' && Array.isArray(error.details[key])) { details = details.concat(error.details[key]); }
    });
    return [error.message].concat(details).join(' ');
  }

  function showProblems(problems, warnings) {
    list.innerHTML = '';
    count.textContent = problems.length ? '(' + problems.length + ')' : '';
    var elsewhere = modeler.showProblems(problems) || [];
    var missing = {};
    elsewhere.forEach(function (p) { missing[p.element + '\u0000' + p.message] = true; });
    (warnings || []).forEach(function (w) {
      if (!modeler.modeler.get('elementRegistry').get(w.element)) { missing[w.element + '\u0000' + w.message] = true; }
    });
    problems.map(function (p) { return [p, false]; }).concat((warnings || []).map(function (w) { return [w, true]; }))
      .forEach(function (pair) {
      var p = pair[0];
      var item = document.createElement('li');
      item.dataset.element = p.element;
      if (pair[1]) {
        item.classList.add('warning');
        var tag = document.createElement('strong');
        tag.textContent = text.warning + ' ';
        item.appendChild(tag);
      }
      var name = document.createElement('code');
      name.textContent = p.element;
      item.appendChild(name);
      item.appendChild(document.createTextNode(' ' + p.message));
      if (missing[p.element + '\u0000' + p.message]) {
        var note = document.createElement('span');
        note.className = 'muted';
        note.textContent = ' ' + text.elsewhere;
        item.appendChild(note);
      } else {
        item.tabIndex = 0;
        item.classList.add('on-diagram');
        item.addEventListener('click', function () { modeler.select(p.element); });
        item.addEventListener('keydown', function (e) { if (e.key === 'Enter') { modeler.select(p.element); } });
      }
      list.appendChild(item);
    });
  }

  function withXml(fn) {
    return modeler.getXML().then(fn).catch(function (err) { say(text.failed.replace('{reason}', err.message), 'error'); });
  }

  function save() {
    say(text.saving);
    return withXml(function (xml) {
      return post(box.dataset.saveUrl, { xml: xml, lock_version: lock, base_version: base }).then(function (r) {
        if (r.status !== 200) { say(text.failed.replace('{reason}', reason(r)), 'error'); return false; }
        lock = r.body.lock_version;
        dirty = false;
        say(text.saved.replace('{time}', new Date().toLocaleTimeString()), 'ok');
        return true;
      });
    });
  }

  function check() {
    say(text.checking);
    return withXml(function (xml) {
      return post(box.dataset.checkUrl, { xml: xml }).then(function (r) {
        if (r.status !== 200) { say(text.failed.replace('{reason}', reason(r)), 'error'); return; }
        var warnings = r.body.warnings || [];
        showProblems(r.body.problems, warnings);
        if (r.body.total) { say(text.problems.replace('{n}', r.body.total), 'error'); return; }
        say(warnings.length > 1 ? text.cleanWarned.replace('{n}', warnings.length)
          : warnings.length ? text.cleanWarnedOne : text.clean, 'ok');
      });
    });
  }

  function publish(activate) {
    say(text.publishing);
    return withXml(function (xml) {
      return post(box.dataset.publishUrl, { xml: xml, activate: activate, lock_version: lock }).then(function (r) {
        if (r.status === 200 || r.status === 201) { dirty = false; window.location = r.body.next; return; }
        var problems = r.body.error && r.body.error.details && r.body.error.details.problems;
        if (problems) {
          showProblems(problems);
          say(text.problems.replace('{n}', problems.length), 'error');
        } else {
          say(text.failed.replace('{reason}', reason(r)), 'error');
        }
      });
    });
  }

  MinyiModeler.create({
    container: document.getElementById('canvas'), panel: document.getElementById('panel'),
    xml: data.xml, lanes: data.lanes, forms: data.forms, locale: box.dataset.locale
  }).then(function (created) {
    modeler = created;
    window.minyiEditor = created;  // for the browser tests and the curious
    modeler.on('changed', function () { dirty = true; say(text.unsaved, 'notice'); });
    document.getElementById('save-draft').addEventListener('click', save);
    document.getElementById('check').addEventListener('click', check);
    document.getElementById('publish').addEventListener('click', function () { publish(false); });
    document.getElementById('publish-activate').addEventListener('click', function () { publish(true); });
    window.addEventListener('beforeunload', function (e) { if (dirty) { e.preventDefault(); e.returnValue = ''; } });
    box.setAttribute('data-ready', 'true');
  }).catch(function (err) {
    say(text.failed.replace('{reason}', err.message), 'error');
    box.setAttribute('data-ready', 'error');
  });
})();
