--[[
typst.lua: the Typst side of the subset, on the whole book (after book.lua).

Chapter divs are unwrapped (a Typst block cannot hold page breaks); a part title, and
the appendices title before the first appendix, become #book-part dividers. Figures
become #figure(image(..., alt: ...)) because pandoc's Typst writer drops the alt text.
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

local function Figure(figure)
  local image = figure.content[1].content[1]
  local args = pandoc.List { string_literal(image.src), "alt: " .. string_literal(image.attributes["fig-alt"] or "") }
  for _, key in ipairs({ "width", "height" }) do
    local size = length(image.attributes[key])
    if size then args:insert(key .. ": " .. size) end
  end
  local code = "#figure(image(" .. table.concat(args, ", ") .. "), caption: ["
    .. typst_of_blocks(figure.caption.long) .. "])"
  if figure.identifier ~= "" then code = code .. " <" .. figure.identifier .. ">" end
  return pandoc.RawBlock("typst", code)
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
    blocks:extend(pandoc.Blocks(chapter.content):walk({ Figure = Figure, Div = Div }))
  end
  doc.meta = {}
  doc.blocks = blocks
  return doc
end
