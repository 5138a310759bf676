import type { ReactNode } from 'react';
import {
  AuditOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
  ApartmentOutlined,
  BarChartOutlined,
  CarryOutOutlined,
  EyeOutlined,
  FormOutlined,
  BookOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  GlobalOutlined,
  ScheduleOutlined,
  TableOutlined,
  TeamOutlined,
} from '@ant-design/icons';

// kept out of modules.tsx so that the icons load with the layout, not with the entry chunk
export const MODULE_ICONS: Record<string, ReactNode> = {
  dashboard: <DashboardOutlined />,
  tasks: <CarryOutOutlined />,
  intake: <FormOutlined />,
  supervision: <EyeOutlined />,
  metrics: <BarChartOutlined />,
  cases: <FileSearchOutlined />,
  disputes: <TeamOutlined />,
  gridwork: <ScheduleOutlined />,
  grids: <GlobalOutlined />,
  departments: <ApartmentOutlined />,
  matters: <BookOutlined />,
  responsibility: <TableOutlined />,
  users: <UserOutlined />,
  roles: <SafetyCertificateOutlined />,
  audit: <AuditOutlined />,
};
