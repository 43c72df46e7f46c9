/** What a section of an editor's form gets from the editor. */
export interface SectionProps<D> {
  draft: D;
  /** Change part of the draft. */
  set: (patch: Partial<D>) => void;
  /** Error texts by API path (e.g. `schedule.at`). */
  errors: Record<string, string>;
  disabled: boolean;
}
