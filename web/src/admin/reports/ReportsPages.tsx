import { Navigate, Route, Routes } from 'react-router';
import '../../reports/reports.css';
import { MonthlyReportPage } from './MonthlyReportPage';
import { ReportsPage } from './ReportsPage';

/**
 * Admin → Reports, at /admin/reports, for every member of staff: the measured policy, and an
 * organization's printable month. A chunk of its own with the chart library, loaded when opened.
 */
export default function ReportsPages() {
  return (
    <Routes>
      <Route index element={<ReportsPage />} />
      <Route path="monthly" element={<MonthlyReportPage />} />
      <Route path="*" element={<Navigate to="/admin/reports" replace />} />
    </Routes>
  );
}
