/**
 * The session rows of a partial while it is put together, one row at a time: the newest capture
 * of each id (see `compareCaptures`), and per-minute detail only on rows that can still be among
 * their repository's `DETAILED_SESSIONS` newest. A million summaries then never hold a million
 * series, and nobody has to keep the summaries themselves until the end.
 */
import type { SessionDetail, SessionRow } from './partial-schema.js';
import { compareCaptures, DETAILED_SESSIONS, keepDetailOfNewest, withDetail, withoutDetail } from './session-row.js';

/** Newest first by `startedAt`, then id: the order `keepDetailOfNewest` keeps details in. */
function isNewer(a: SessionRow, b: SessionRow): boolean {
  return a.startedAt !== b.startedAt ? a.startedAt > b.startedAt : a.id > b.id;
}

/**
 * The detailed rows of one repository, oldest on top (a binary heap). A detailed row replaced by
 * a newer capture still sits in the heap, so each such row widens it by one. A row pushed out
 * cannot get its detail back: when a newer row is dropped later, its repository shows one
 * detailed session fewer. Duplicates are rare (a re-capture) and a merge of trimmed shards has
 * the same limit, so detail is best effort there; the figures never depend on it.
 */
class DetailedRows {
  readonly heap: SessionRow[] = [];
  allowance = DETAILED_SESSIONS;

  /** Would a row this new get a place? */
  admits(row: SessionRow): boolean {
    return this.heap.length < this.allowance || isNewer(row, this.heap[0]!);
  }

  /** Adds `row`; returns the rows pushed out (oldest first). */
  push(row: SessionRow): SessionRow[] {
    const heap = this.heap;
    heap.push(row);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!isNewer(heap[parent]!, heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
    const out: SessionRow[] = [];
    while (heap.length > this.allowance) out.push(this.popOldest());
    return out;
  }

  private popOldest(): SessionRow {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let oldest = i;
        if (left < heap.length && isNewer(heap[oldest]!, heap[left]!)) oldest = left;
        if (right < heap.length && isNewer(heap[oldest]!, heap[right]!)) oldest = right;
        if (oldest === i) break;
        [heap[oldest], heap[i]] = [heap[i]!, heap[oldest]!];
        i = oldest;
      }
    }
    return top;
  }
}

export class SessionPool {
  private readonly newest = new Map<string, SessionRow>();
  private readonly detailed = new Map<string, DetailedRows>();
  /** Captures left out because a newer capture of the same id was kept. */
  dropped = 0;

  /**
   * Adds one capture. `detail` gives the row's per-minute detail, asked only when the row can
   * still keep it; a row that arrives with `detail` (from another partial) loses it when it cannot.
   * Rows passed in are never changed: a row that loses its detail is replaced by a copy.
   */
  add(row: SessionRow, detail?: () => SessionDetail): void {
    const kept = this.newest.get(row.id);
    if (kept !== undefined) {
      this.dropped++;
      if (compareCaptures(row, kept) <= 0) return;
      if (kept.detail !== undefined) this.detailedRows(kept.repository).allowance++;
    }
    const rows = this.detailedRows(row.repository);
    const wantsDetail = row.detail !== undefined || detail !== undefined;
    if (!wantsDetail || !rows.admits(row)) {
      this.newest.set(row.id, withoutDetail(row));
      return;
    }
    const detailed = row.detail !== undefined ? row : withDetail(row, detail!());
    this.newest.set(row.id, detailed);
    for (const out of rows.push(detailed)) {
      // A row pushed out may have been replaced by a newer capture meanwhile: leave that one be.
      if (this.newest.get(out.id) === out) this.newest.set(out.id, withoutDetail(out));
    }
  }

  /**
   * The kept rows sorted by id, with detail on each repository's newest only. Empties the pool:
   * its index of a million ids is not kept alive beside the rows while the daily rows are made.
   */
  takeSessions(): SessionRow[] {
    const sorted = [...this.newest.values()];
    this.newest.clear();
    this.detailed.clear();
    sorted.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return keepDetailOfNewest(sorted);
  }

  private detailedRows(repository: string): DetailedRows {
    let rows = this.detailed.get(repository);
    if (!rows) this.detailed.set(repository, (rows = new DetailedRows()));
    return rows;
  }
}
