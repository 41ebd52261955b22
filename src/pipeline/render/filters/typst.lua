--[[
typst.lua: the Typst side of the subset, on the whole book (after book.lua).

Chapter divs are unwrapped (a Typst block cannot hold page breaks); a part title, and
the appendices title before the first appendix, become #book-part dividers. Figures
become #figure(image(..., alt: ...)) because pandoc's Typst writer drops the alt text,
and tables #figure(book-table(...)) with column widths that fit the page. Before every
section and after every chapter, #place.flush() keeps floating charts in their section.
Callouts become #callout(...) and page breaks #pagebreak(), both from the template.

Metadata "book-typst" (JSON): appendices_title.
]]

local function typst_of_blocks(blocks)
  return (pandoc.write(pandoc.Pandoc(blocks), "typst", { wrap_text = "none" }):gsub("%s+$", ""))
end

local function typst_of_inlines(inlines)
  return typst_of_blocks({ pandoc.Plain(inlines) })
end

local function string_literal(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n") .. '"'
end

local TYPST_UNITS = { "%%", "cm", "mm", "in", "pt", "em" }

local function length(value)
  -- HTML-style sizes in Typst units: "50%" and "8cm" stay, "300px" and "300" become points.
  if value == nil then return nil end
  for _, unit in ipairs(TYPST_UNITS) do
    if value:match("^[%d.]+" .. unit .. "$") then return value end
  end
  local px = value:match("^([%d.]+)px$") or value:match("^([%d.]+)$")
  if px then return tostring(tonumber(px) * 0.75) .. "pt" end
  return nil
end

local function caption_typst(caption)
  -- The caption with its label ("Figur~1.2:", written by book.lua) set in bold, as in
  -- printed government reports; the text itself stays as it is.
  local blocks = caption.long:clone()
  local first = blocks[1]
  if first and (first.t == "Plain" or first.t == "Para") and first.content[1]
    and first.content[1].t == "Str" and first.content[1].text:match("\u{a0}[%w.]+[:.]$") then
    first.content[1] = pandoc.Strong({ first.content[1] })
  end
  return typst_of_blocks(blocks)
end

-- A floating chart splits a table that breaks across pages when it lands on one of the
-- table's pages: at the bottom of the page where the table starts, or at the top of the
-- page where it ends (issue 14: Figur D.2 inside Tabell D.2). So a chart with a table after
-- it in the same chapter stays in the text (placement: none) and cannot reach the table;
-- a chart after the chapter's last table may only float to the bottom of a page, below
-- that table's end (its last page can hold the next section's heading too, so a section
-- is not far enough). Pending charts are also placed before a table starts (see Table).
local after_table = false
local tables_ahead = 0

local function placement()
  if tables_ahead > 0 then return ", placement: none" end
  return after_table and ", placement: bottom" or ""
end

local function Figure(figure)
  local image = figure.content[1].content[1]
  local args = pandoc.List { string_literal(image.src), "alt: " .. string_literal(image.attributes["fig-alt"] or "") }
  for _, key in ipairs({ "width", "height" }) do
    local size = length(image.attributes[key])
    if size then args:insert(key .. ": " .. size) end
  end
  local code = "#figure(image(" .. table.concat(args, ", ") .. "), caption: ["
    .. caption_typst(figure.caption) .. "]" .. placement() .. ")"
  if figure.identifier ~= "" then code = code .. " <" .. figure.identifier .. ">" end
  return pandoc.RawBlock("typst", code)
end

-- Tables --------------------------------------------------------------------------
-- Written here rather than by pandoc's Typst writer, which gives every column `auto`:
-- Typst then squeezes a wide table's text column until its words break into syllables
-- (Tabell D.2). Here a table too wide for its natural widths spans the text width and
-- its longest text column takes the space the others leave (1fr); numbers never wrap;
-- captions set their label in bold. The template's #book-table sets size, rules and
-- the header that repeats on the next page.

local ALIGN = { AlignLeft = "left", AlignRight = "right", AlignCenter = "center", AlignDefault = "left" }
local WIDE_TABLE = 6 -- columns from which the table is set in a smaller size
-- Characters of the table size (9.5pt) on one line of the A4 text width (template.typ),
-- and the width of a column's padding in characters: a rough guide, on the safe side.
local LINE_CHARACTERS = 90
local PADDING_CHARACTERS = 3

local function cell_text(cell)
  return pandoc.utils.stringify(cell.contents)
end

local function typst_cell(cell, breakable_header)
  local blocks = cell.contents
  if breakable_header then
    -- A long header over a narrow number column breaks at its last space ("Antall grupper").
    blocks = blocks:walk({
      Inlines = function(inlines)
        for i = #inlines, 1, -1 do
          if inlines[i].t == "Space" then
            inlines[i] = pandoc.LineBreak()
            break
          end
        end
        return inlines
      end,
    })
  end
  local code = "[" .. typst_of_blocks(blocks) .. "]"
  if (cell.col_span or 1) > 1 or (cell.row_span or 1) > 1 then
    code = "table.cell(colspan: " .. (cell.col_span or 1) .. ", rowspan: " .. (cell.row_span or 1) .. ", " .. code .. ")"
  end
  return code
end

local function table_rows(tbl)
  local rows = pandoc.List {}
  for _, body in ipairs(tbl.bodies) do
    rows:extend(body.head)
    rows:extend(body.body)
  end
  rows:extend(tbl.foot.rows)
  return rows
end

local function column_widths(tbl, rows, wide)
  local explicit = false
  for _, spec in ipairs(tbl.colspecs) do
    if type(spec[2]) == "number" and spec[2] > 0 then explicit = true end
  end
  local widths = pandoc.List {}
  if explicit then
    for _, spec in ipairs(tbl.colspecs) do
      local w = type(spec[2]) == "number" and spec[2] or 0
      widths:insert(w > 0 and (string.format("%.3f", w * 100) .. "%") or "auto")
    end
    return widths
  end
  -- A table whose longest lines fit the text width keeps its natural column widths;
  -- a wider one spans the text width, and its left-aligned column with the longest text
  -- takes the space the other columns leave (1fr), so that only that column wraps.
  local longest, text_column, natural = 0, nil, 0
  for i, spec in ipairs(tbl.colspecs) do
    widths:insert("auto")
    local column = 0
    for _, row in ipairs(rows) do
      local cell = row.cells[i]
      local n = cell and pandoc.text.len(cell_text(cell)) or 0
      column = math.max(column, n)
      if n > longest and (spec[1] == "AlignLeft" or spec[1] == "AlignDefault") then
        longest, text_column = n, i
      end
    end
    natural = natural + column + PADDING_CHARACTERS
  end
  if text_column and (wide or natural > LINE_CHARACTERS) then widths[text_column] = "1fr" end
  return widths
end

local NUMBER_SIGNS = { "\u{a0}", "–", "−", "±", "≥", "≤" }

local function number_like(text)
  -- Figures, signs and brackets only ("3,92 (0,81)", "[0,99; 1,61]", "2015–2016", "65 %").
  for _, sign in ipairs(NUMBER_SIGNS) do text = text:gsub(sign, " ") end
  return text:match("%d") ~= nil and text:match("^[%d%s%p]*$") ~= nil
end

local function Table(tbl)
  local rows = table_rows(tbl)
  local ncols = #tbl.colspecs
  local wide = ncols >= WIDE_TABLE
  local aligns = pandoc.List {}
  for _, spec in ipairs(tbl.colspecs) do aligns:insert(ALIGN[spec[1]] or "left") end
  local header = pandoc.List {}
  for _, row in ipairs(tbl.head.rows) do
    for i, cell in ipairs(row.cells) do
      header:insert(typst_cell(cell, wide and aligns[i] == "right"))
    end
  end
  local cells = pandoc.List {}
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row.cells) do
      local code = typst_cell(cell, false)
      if number_like(cell_text(cell)) then code = "box(" .. code .. ")" end
      cells:insert(code)
    end
  end
  local lines = pandoc.List {
    "#figure(",
    "  book-table(",
    "    wide: " .. tostring(wide) .. ",",
    "    columns: (" .. table.concat(column_widths(tbl, rows, wide), ", ") .. ",),",
    "    aligns: (" .. table.concat(aligns, ", ") .. ",),",
    "    header: (" .. table.concat(header, ", ") .. (#header > 0 and "," or "") .. "),",
    "    cells: (" .. table.concat(cells, ", ") .. (#cells > 0 and "," or "") .. "),",
    "  ),",
    "  kind: table,",
  }
  if #tbl.caption.long > 0 then lines:insert("  caption: [" .. caption_typst(tbl.caption) .. "],") end
  lines:insert(")" .. (tbl.identifier ~= "" and (" <" .. tbl.identifier .. ">") or ""))
  after_table = true
  tables_ahead = tables_ahead - 1
  return { pandoc.RawBlock("typst", "#place.flush()"), pandoc.RawBlock("typst", table.concat(lines, "\n")) }
end

local function Div(div)
  if div.classes:includes("quarto-pagebreak") then
    return pandoc.RawBlock("typst", "#pagebreak(weak: true)")
  end
  if div.classes:includes("callout") then
    local kind = div.classes[2]:match("^callout%-(.+)$")
    local title = typst_of_inlines(div.content[1].content[1].content)
    local out = pandoc.List { pandoc.RawBlock("typst", '#callout(kind: "' .. kind .. '", title: [' .. title .. "])[") }
    out:extend(div.content[2].content)
    out:insert(pandoc.RawBlock("typst", "]"))
    return out
  end
  return nil
end

local function flush_floats()
  return pandoc.RawBlock("typst", "#place.flush()")
end

local function part_divider(title)
  return pandoc.RawBlock("typst", "#book-part[" .. typst_of_inlines(pandoc.Inlines(title)) .. "]")
end

function Pandoc(doc)
  local config = pandoc.json.decode(pandoc.utils.stringify(doc.meta["book-typst"]))
  local blocks = pandoc.List {}
  local part = ""
  for _, chapter in ipairs(doc.blocks) do
    local kind = chapter.attributes.kind
    local this_part = kind == "appendix" and config.appendices_title or chapter.attributes.part
    if this_part ~= part and this_part ~= "" then blocks:insert(part_divider(this_part)) end
    part = this_part
    tables_ahead = 0
    pandoc.Blocks(chapter.content):walk({ Table = function() tables_ahead = tables_ahead + 1 end })
    blocks:extend(pandoc.Blocks(chapter.content):walk({
      Figure = Figure,
      Table = Table,
      Div = Div,
      Header = function(header)
        if header.level == 2 then return { flush_floats(), header } end
      end,
    }))
    -- Floating charts (template.typ) stay in their own section: the ones still pending
    -- are placed before the next section (above) or chapter (here) begins.
    blocks:insert(flush_floats())
    after_table = false
  end
  doc.meta = {}
  doc.blocks = blocks
  return doc
end
