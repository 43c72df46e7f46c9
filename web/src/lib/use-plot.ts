/** A uPlot chart drawn in a box at the box's width, redrawn on resize: the one way the app's charts are drawn. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** The axes' look: slate labels on a faint grid. */
export const AXIS = { stroke: '#64748b', grid: { stroke: '#eef2f7' } };

/** The ref for the chart's box; `make` builds the options (all but the size) and the data, again when `deps` change. */
export function usePlot(make: () => { opts: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData }, deps: unknown[]) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { opts, data } = make();
    const size = () => ({ width: Math.max(280, el.clientWidth), height: 240 });
    const plot = new uPlot({ ...size(), ...opts }, data, el);
    const ro = new ResizeObserver(() => plot.setSize(size()));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, deps);
  return box;
}
