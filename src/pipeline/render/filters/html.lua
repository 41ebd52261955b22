--[[
html.lua: the HTML side of the subset, for one page of the book (after book.lua).

Metadata "book-page" (JSON): page (this page's path), root ("" or "../" per folder the
page sits in), anchors (id -> page) and table_label (the name of a table without caption,
for screen readers). Pages sit where Quarto writes them (report/01-innledning.html), and
images keep their root-relative path below _book/, so "/report/x.svg" becomes
"../report/x.svg" on a page in report/.
]]

local page = ""
local root = "" -- from this page back to the site's root: "" or "../"
local anchors = {}
local table_label = ""

local function Link(link)
  local id = link.target:match("^#(.+)$")
  if id and anchors[id] and anchors[id] ~= page then
    link.target = root .. anchors[id] .. "#" .. id
  end
  return link
end

local function Image(image)
  -- The alt text is fig-alt (book.lua falls back to the caption); the caption itself
  -- goes to <figcaption>.
  local alt = image.attributes["fig-alt"]
  if alt then
    image.caption = { pandoc.Str(alt) }
    image.attributes["fig-alt"] = nil
  end
  if image.src:sub(1, 1) == "/" then image.src = root .. image.src:sub(2) end
  return image
end

local NUMBER_SIGNS = { "\u{a0}", "–", "−", "±", "≥", "≤" }
local WIDE_TABLE = 6 -- columns from which the table is set in a smaller size (as in the PDF)

local function number_like(text)
  -- Figures, signs and brackets only ("3,92 (0,81)", "[0,99; 1,61]", "2015–2016", "65 %").
  for _, sign in ipairs(NUMBER_SIGNS) do text = text:gsub(sign, " ") end
  return text:match("%d") ~= nil and text:match("^[%d%s%p]*$") ~= nil
end

local function mark_numbers(rows)
  -- A number or a range in a cell stays on one line (class "num", book.css).
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row.cells) do
      if number_like(pandoc.utils.stringify(cell.contents)) then cell.classes:insert("num") end
    end
  end
end

local function Table(tbl)
  -- Header cells get scope="col" (WCAG 1.3.1: data cells are tied to their headers).
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      cell.attributes.scope = "col"
    end
  end
  for _, body in ipairs(tbl.bodies) do
    mark_numbers(body.head)
    mark_numbers(body.body)
  end
  local classes = { "table-wrap" }
  if #tbl.colspecs >= WIDE_TABLE then table.insert(classes, "table-wide") end
  -- A wide table scrolls inside its own box instead of widening the page; the box is a
  -- named, focusable region so keyboard users can scroll it (WCAG 2.1.1).
  local caption = pandoc.utils.stringify(tbl.caption.long)
  -- (Attributes as a list of pairs: a Lua map would write them in a random order.)
  return pandoc.Div({ tbl }, pandoc.Attr("", classes, {
    { "role", "region" },
    { "tabindex", "0" },
    { "aria-label", caption ~= "" and caption or table_label },
  }))
end

local function Div(div)
  if div.classes:includes("quarto-pagebreak") then
    return pandoc.RawBlock("html", '<div class="page-break" style="page-break-after: always;"></div>')
  end
  if div.classes:includes("callout") then
    div.attributes.role = "note"
  end
  return div
end

function Pandoc(doc)
  local config = pandoc.json.decode(pandoc.utils.stringify(doc.meta["book-page"]))
  page = config.page
  root = config.root
  anchors = config.anchors
  table_label = config.table_label
  doc.meta = {}
  return doc:walk({ Link = Link, Image = Image, Table = Table, Div = Div })
end
