import { useEffect, useMemo, useRef, useState } from 'react';
import { Input, Tag, Tree, type TreeDataNode as DataNode } from 'antd';

import type { JurisdictionNode } from '../../api/client';
import { useI18n } from '../../i18n';
import { useLevelName } from '../../settings';

interface Props {
  root: JurisdictionNode;
  selected: string;
  onSelect: (code: string) => void;
}

const LEVEL_COLORS: Record<string, string> = { city: 'purple', district: 'blue', street: 'cyan', community: 'green' };

/** Nodes whose name or code contains the text, with their ancestors; the codes to expand so they show. */
function filterTree(node: JurisdictionNode, text: string, expand: Set<string>): JurisdictionNode | null {
  const children = node.children.map((c) => filterTree(c, text, expand)).filter((c): c is JurisdictionNode => c !== null);
  const hit = node.name.includes(text) || node.code.startsWith(text);
  if (children.length > 0) expand.add(node.code);
  return hit || children.length > 0 ? { ...node, children: hit && children.length === 0 ? node.children : children } : null;
}

function useHeight(ref: React.RefObject<HTMLElement>): number {
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && setHeight(Math.max(200, Math.floor(entry.contentRect.height))));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return height;
}

export function JurisdictionTree({ root, selected, onSelect }: Props) {
  const { t } = useI18n();
  const levelName = useLevelName();
  const [text, setText] = useState('');
  const [expanded, setExpanded] = useState<React.Key[]>(() => [root.code]);
  const box = useRef<HTMLDivElement>(null);
  const height = useHeight(box);

  const { tree, expand } = useMemo(() => {
    const expand = new Set<string>();
    const q = text.trim();
    const tree = q ? filterTree(root, q, expand) : root;
    return { tree, expand };
  }, [root, text]);

  useEffect(() => {
    if (text.trim()) setExpanded([...expand]);
  }, [expand, text]);

  const treeData = useMemo(() => {
    const toData = (n: JurisdictionNode): DataNode => ({
      key: n.code,
      title: (
        <span data-testid={`jurisdiction-${n.code}`}>
          {n.name}
          <Tag color={LEVEL_COLORS[n.level]} style={{ marginLeft: 6, fontSize: 11, lineHeight: '16px', padding: '0 4px' }} bordered={false}>
            {levelName(n.level)}
          </Tag>
        </span>
      ),
      children: n.children.length > 0 ? n.children.map(toData) : undefined,
      isLeaf: n.children.length === 0,
    });
    return tree ? [toData(tree)] : [];
  }, [tree, levelName]);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', gap: 8 }}>
      <Input.Search allowClear placeholder={t('grids.searchTree')} onChange={(e) => setText(e.target.value)} data-testid="jurisdiction-search" />
      <div ref={box} style={{ flex: 1, minHeight: 0 }} data-testid="jurisdiction-tree">
        <Tree
          treeData={treeData}
          height={height}
          blockNode
          selectedKeys={[selected]}
          expandedKeys={expanded}
          onExpand={(keys) => setExpanded(keys)}
          onSelect={(keys) => keys[0] !== undefined && onSelect(String(keys[0]))}
        />
      </div>
    </div>
  );
}
