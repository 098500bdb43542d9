// The dashboard's contract: the router that serves the page and the driver summary its customer list shows.
export { dashboardRouter, DASHBOARD_ASSET_PREFIX } from './dashboard-router';
export { topDrivers, type DriverItem } from './top-drivers';
