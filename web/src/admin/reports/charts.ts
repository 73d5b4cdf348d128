import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type PointStyle,
} from 'chart.js';
import type { Priority } from '../../api/types';

// Only the pieces the reports draw, so the chunk carries no other chart type.
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
Chart.defaults.color = '#1b1f24';
// Figures appear as they are: no motion to wait for before reading, nor to print half-drawn.
Chart.defaults.animation = false;

/**
 * Each priority's line: a colour, and a point shape and dash of its own so that the lines can be
 * told apart without colour.
 */
export const PRIORITY_LINE: Record<Priority, { color: string; pointStyle: PointStyle; dash: number[] }> = {
  P0: { color: '#7a0d0d', pointStyle: 'circle', dash: [] },
  P1: { color: '#0b5cad', pointStyle: 'rect', dash: [6, 3] },
  P2: { color: '#8a5300', pointStyle: 'triangle', dash: [2, 3] },
  P3: { color: '#5b2b8a', pointStyle: 'rectRot', dash: [10, 3, 2, 3] },
};

export const TARGET_LINE = { color: '#1b1f24', dash: [8, 4] };
export const BAR_COLOR = '#0b5cad';
export const GRID_COLOR = '#d0d5dc';
