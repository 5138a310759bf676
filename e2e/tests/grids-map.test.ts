import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, newPage, startWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

describe('the map of grids', () => {
  it('lets the city dispatcher open the map, see every grid and click one to read its details and versions', async () => {
    const page = await newPage(world);
    await logIn(page, 'demo-city');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.getByRole('menuitem', { name: /辖区与网格/ }).click();
    await page.waitForURL('**/grids');
    const map = page.getByTestId('grid-map');
    await map.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('path.zhili-grid').length >= 320, undefined, { timeout: 30_000 });
    expect(await page.locator('path.zhili-grid').count()).toBe(320);

    await page.locator('path.zhili-grid-990102001001003').click();
    const drawer = page.getByTestId('grid-drawer');
    await drawer.waitFor();
    await expect.poll(() => drawer.innerText()).toContain('990102001001003');
    const text = await drawer.innerText();
    expect(text).toContain('安居社区第3网格');
    expect(text).toContain('演示城市初始划分');
    await page.screenshot({ path: `${process.env.ZHILI_SCREENSHOTS ?? '/tmp'}/zhili-grids-map.png` });
    await page.context().close();
  });

  it('shows a community dispatcher only the grids of its own community', async () => {
    const page = await newPage(world);
    await logIn(page, 'demo-community');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto('/grids');
    await page.getByTestId('grid-map').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('path.zhili-grid').length > 0, undefined, { timeout: 30_000 });
    const codes = await page.locator('path.zhili-grid').evaluateAll((paths) =>
      paths.map((p) => [...p.classList].find((c) => /^zhili-grid-\d/.test(c))?.slice('zhili-grid-'.length) ?? ''),
    );
    expect(codes.length).toBeGreaterThanOrEqual(5);
    expect(codes.every((c) => c.startsWith('990102001001'))).toBe(true);
    await page.context().close();
  });

  it('tells a user with a wrong password why sign-in failed and keeps them on the login page', async () => {
    const page = await newPage(world);
    await logIn(page, 'demo-city', 'wrong-password');
    await expect.poll(() => page.locator('body').innerText()).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });

  it('sends an unauthenticated visitor of a console page to the login page', async () => {
    const page = await newPage(world);
    await page.goto('/grids');
    await page.waitForURL('**/login**');
    await page.context().close();
  });
});
