/**
 * The branch tree (people.branches) as a filter: 总行 (everything) → 分行 → 支行, with staff counts.
 * A filter value is a branch or sub-branch name ('' = the whole bank), as the core's filters take it.
 */
import type { BranchNode } from '../../preload/api.js';
import { useDirectory } from './directory.js';
import { formatCount } from './format.js';
import { useI18n } from './i18n.js';
import { useSession } from './session.js';

export function totalStaff(branches: BranchNode[]): number {
  return branches.reduce((s, b) => s + b.staff, 0);
}

export function BranchSelect({ branches, value, onChange, id, testId }: { branches: BranchNode[]; value: string; onChange: (v: string) => void; id?: string; testId?: string }) {
  const { t, lang } = useI18n();
  const known = value === '' || branches.some((b) => b.branch === value || b.subBranches.some((s) => s.name === value));
  return (
    <select id={id} className="input select" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{t('branch.all')}</option>
      {branches.map((b) => [
        <option key={`b:${b.branch}`} value={b.branch}>
          {`${b.branch || t('branch.none')}（${t('branch.staffCount', { n: formatCount(b.staff, lang) })}）`}
        </option>,
        ...b.subBranches.map((s) => (
          <option key={`s:${b.branch}/${s.name}`} value={s.name}>
            {`\u3000\u3000${s.name || t('branch.none')}（${t('branch.staffCount', { n: formatCount(s.staff, lang) })}）`}
          </option>
        )),
      ])}
      {!known && <option value={value}>{value}</option>}
    </select>
  );
}

/**
 * A screen's branch filter over the directory's tree. A branch-scoped user sees their scope only,
 * disabled: the core limits their lists to it and refuses any other branch.
 */
export function ScopedBranchSelect({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId?: string }) {
  const { t } = useI18n();
  const dir = useDirectory();
  const scope = useSession().who?.branch ?? '';
  if (scope) {
    return (
      <select className="input select" value="" disabled title={t('role.scope', { branch: scope })} data-testid={testId}>
        <option value="">{scope}</option>
      </select>
    );
  }
  return <BranchSelect branches={dir.branches} value={value} onChange={onChange} testId={testId} />;
}

/** The tree itself, each level a button; the chosen node is highlighted. */
export function BranchTree({ branches, value, onChange, testId }: { branches: BranchNode[]; value: string; onChange: (v: string) => void; testId?: string }) {
  const { t, lang } = useI18n();
  const node = (label: string, count: number, v: string, level: number) => (
    <button
      type="button"
      className={`tree-node level-${level} ${value === v ? 'active' : ''}`}
      aria-pressed={value === v}
      onClick={() => onChange(v)}
      data-branch={v}
      title={label}
    >
      <span className="tree-label">{label}</span>
      <span className="tree-count">{formatCount(count, lang)}</span>
    </button>
  );
  return (
    <nav className="tree" aria-label={t('branch.tree')} data-testid={testId}>
      <ul>
        <li>
          {node(t('branch.root'), totalStaff(branches), '', 0)}
          <ul>
            {branches.map((b) => (
              <li key={b.branch}>
                {node(b.branch || t('branch.none'), b.staff, b.branch, 1)}
                {b.subBranches.length > 0 && (
                  <ul>
                    {b.subBranches.map((s) => (
                      <li key={s.name}>{node(s.name || t('branch.none'), s.staff, s.name, 2)}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </li>
      </ul>
    </nav>
  );
}
