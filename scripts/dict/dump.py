# Writes a dictionary JSON the way default.json is laid out: two-space indent, one field a line,
# exclusion lists on one line (so a diff shows one line per changed field).
import json, re
def dump(d, path):
    text = json.dumps(d, ensure_ascii=False, indent=2)
    text = re.sub(r'\[\n\s+("(?:[^"\\]|\\.)*"(?:,\n\s+"(?:[^"\\]|\\.)*")*)\n\s+\]', lambda m: '[' + re.sub(r',\n\s+', ',', m.group(1)) + ']', text)
    open(path, 'w').write(text + '\n')
