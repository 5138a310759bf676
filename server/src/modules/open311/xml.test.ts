import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, toXml } from './xml.js';

describe('toXml', () => {
  it('writes the spec sample shape: declaration, list root, one element per item, empty elements for nothing', () => {
    const xml = toXml('service_requests', [{ service_request_id: '20261121-000001', service_notice: null, account_id: null }]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<service_requests><request><service_request_id>20261121-000001</service_request_id><service_notice/><account_id/></request></service_requests>\n',
    );
  });

  it('names the items of every GeoReport list', () => {
    expect(toXml('services', [{ service_code: 'CG-001', metadata: false }])).toContain('<services><service><service_code>CG-001</service_code><metadata>false</metadata></service></services>');
    expect(toXml('errors', [{ code: 403, description: 'Invalid api_key received' }])).toContain('<errors><error><code>403</code><description>Invalid api_key received</description></error></errors>');
    expect(toXml('service_request_updates', [{ update_id: '1' }])).toContain('<service_request_updates><request_update><update_id>1</update_id></request_update></service_request_updates>');
    expect(toXml('service_definition', { service_code: 'CG-001', attributes: [] })).toContain('<service_definition><service_code>CG-001</service_code><attributes></attributes></service_definition>');
    const discovery = toXml('discovery', { changeset: 'x', endpoints: [{ url: 'u', formats: ['text/xml', 'application/json'] }] });
    expect(discovery).toContain('<endpoints><endpoint><url>u</url><formats><format>text/xml</format><format>application/json</format></formats></endpoint></endpoints>');
  });

  it('refuses a list it has no item name for, rather than invent one', () => {
    expect(() => toXml('things', [1])).toThrow(/things/);
  });

  it('escapes markup and drops what XML 1.0 cannot hold, so a parser reads back the text', () => {
    const description = '井盖<丢失> & "危险" \'速修\'\u0007\uD800 路段';
    const xml = toXml('service_requests', [{ description, lat: 40.7615 }]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ parseTagValue: false }).parse(xml);
    expect(parsed.service_requests.request).toEqual({ description: '井盖<丢失> & "危险" \'速修\' 路段', lat: '40.7615' });
  });

  it('escapes the five markup characters', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});
