/** A labelled filter dropdown: one option per value, the empty value shown as "any". */
export const FilterSelect = ({ label, value, options, onChange }: { label: string; value: string; options: readonly string[]; onChange: (value: string) => void }) => (
  <label>
    {label}{' '}
    <select value={value} onChange={(e) => onChange(e.target.value)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {o || 'any'}
        </option>
      ))}
    </select>
  </label>
);
