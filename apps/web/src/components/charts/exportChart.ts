/**
 * A drawn chart as a standalone file: SVG (the page's SVG, self-contained) or PNG (that SVG
 * painted on a canvas at twice its size). Tooltips are left out; numbers stay as drawn.
 */
import { saveBlob } from '@/lib/download'

const SVG_NS = 'http://www.w3.org/2000/svg'
/** What `.podium-plot` gets from index.css on the page, inlined into the exported file. */
const FILE_STYLE = 'text, tspan { white-space: pre; } svg { font-family: system-ui, sans-serif; }'

/** The chart as a standalone SVG document (white background, the page's rules inlined). */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  copy.querySelectorAll('[aria-label="tip"]').forEach((el) => el.remove())
  copy.setAttribute('xmlns', SVG_NS)
  copy.removeAttribute('class')
  const style = document.createElementNS(SVG_NS, 'style')
  style.textContent = FILE_STYLE
  const background = document.createElementNS(SVG_NS, 'rect')
  background.setAttribute('width', '100%')
  background.setAttribute('height', '100%')
  background.setAttribute('fill', 'white')
  copy.prepend(style, background)
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`
}

/** Save the chart as `<name>.svg`. */
export function downloadSvg(svg: SVGSVGElement, name: string): void {
  saveBlob(new Blob([svgText(svg)], { type: 'image/svg+xml' }), `${name}.svg`)
}

/** Paint the SVG on a canvas `scale` times its size and resolve with it as PNG. */
export function pngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const width = Number(svg.getAttribute('width')) || svg.clientWidth || 640
  const height = Number(svg.getAttribute('height')) || svg.clientHeight || 320
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }))
  return new Promise<Blob>((resolve, reject) => {
    const img = new Image()
    img.onload = () => {
      const canvas = document.createElement('canvas')
      canvas.width = width * scale
      canvas.height = height * scale
      const ctx = canvas.getContext('2d')
      if (!ctx) return reject(new Error('This browser cannot paint a canvas.'))
      ctx.scale(scale, scale)
      ctx.drawImage(img, 0, 0, width, height)
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded.'))), 'image/png')
    }
    img.onerror = () => reject(new Error('The chart could not be painted as an image.'))
    img.src = url
  }).finally(() => URL.revokeObjectURL(url))
}

/** Save the chart as `<name>.png`. */
export async function downloadPng(svg: SVGSVGElement, name: string): Promise<void> {
  saveBlob(await pngBlob(svg), `${name}.png`)
}
