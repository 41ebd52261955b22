--[[
marking.lua: the edition's status and the synthetic-data marking at the top of every HTML
page that Quarto renders.

Named in _quarto.yml (filters:, after Quarto's own). render_quarto passes the cover's
values as metadata (cover-status, cover-marking-label, cover-marking); the built-in
renderer's page template prints the same values in its header, so under the built-in
renderer (no `quarto` module) and in the PDF (the cover carries them) this does nothing.
Why: Quarto's book pages have no place for them, and a reader who lands on one page from
a search must still see that the numbers are synthetic and the edition a draft.
]]

function Pandoc(doc)
  if quarto == nil or not quarto.doc.is_format("html") then return nil end
  local function value(key)
    return doc.meta[key] and pandoc.utils.stringify(doc.meta[key]) or ""
  end
  local status, label, marking = value("cover-status"), value("cover-marking-label"), value("cover-marking")
  if status == "" and marking == "" then return nil end
  local inlines = pandoc.List {}
  if status ~= "" then inlines:insert(pandoc.Strong(status)) end
  if marking ~= "" then
    if #inlines > 0 then inlines:extend({ pandoc.Str("."), pandoc.Space() }) end
    inlines:extend({ pandoc.Strong(label .. ":"), pandoc.Space(), pandoc.Str(marking) })
  end
  doc.blocks:insert(1, pandoc.Div(pandoc.Para(inlines), pandoc.Attr("", { "edition-marking" }, { role = "note" })))
  return doc
end
