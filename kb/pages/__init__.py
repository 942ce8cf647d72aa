"""Pages analysts look at: country profiles, flows, and the query page's helpers.

Data (`profile`, `flows`) is read from the store through internal queries; `render` turns it into
self-contained HTML with plotly charts inlined; `flows.save_static` draws SVG/PNG with matplotlib.
"""
