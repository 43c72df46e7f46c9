/** The body every list page shares, from the load to the table. */
import type { ComponentChildren } from 'preact';
import type { AsyncState } from '../lib/use-async';
import { Empty, Loading, LoadError, Table, type Column } from './ui';

/**
 * A list's body: the load failure with a retry, a spinner, the empty state, "no … matches" the search, or the
 * table of `children` rows. `tools` (search and sort), when given here, show only once there is something to search.
 */
export function ListBody<T>(props: {
  load: AsyncState<T>;
  what: string;
  isEmpty: (data: T) => boolean;
  empty: ComponentChildren;
  tools?: ComponentChildren;
  shown: number;
  noMatch: string;
  columns: Column[];
  children: ComponentChildren;
}) {
  const { load } = props;
  if (load.error) return <LoadError what={props.what} error={load.error} retry={load.reload} />;
  if (!load.data) return <Loading />;
  if (props.isEmpty(load.data)) return <>{props.empty}</>;
  return (
    <>
      {props.tools}
      {props.shown === 0 ? (
        <Empty title={props.noMatch} />
      ) : (
        <div class="card table-card">
          <Table columns={props.columns}>{props.children}</Table>
        </div>
      )}
    </>
  );
}
