// Departments of city and district and their kinds. What other modules may use; everything else here is internal.
export { DEPARTMENT_KINDS } from './kinds.js';
export { allDepartments, departmentName, insertDepartments } from './repository.js';
export type { NewDepartment } from './repository.js';
