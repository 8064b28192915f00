# The helpers every one-off dictionary edit uses: load default.json, change or add entries (a new
# entry's note cites the clause of a sibling entry), and write it back in its layout.
import json, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from dump import dump

PATH = 'resources/dictionaries/default.json'

class Edit:
    def __init__(self, path=PATH):
        self.path = path
        self.d = json.load(open(path))
        self.entries = self.d['entries']
        self.by = {e['id']: e for e in self.entries}

    def note_of(self, i, extra):
        return self.by[i]['note'].split('。')[0] + '。' + extra

    def upd(self, i, term):
        self.by[i]['term'] = term

    def add(self, i, term, cat, sev, match, src, extra, **kw):
        assert i not in self.by, i
        e = {'id': i, 'term': term, 'category': cat, 'severity': sev, 'match': match, 'negatable': kw.pop('negatable', True), 'side': kw.pop('side', 'staff'), 'enabled': True, 'note': self.note_of(src, extra)}
        e.update(kw)
        self.entries.append(e)
        self.by[i] = e

    def save(self):
        dump(self.d, self.path)
        print(len(self.entries), 'entries')
