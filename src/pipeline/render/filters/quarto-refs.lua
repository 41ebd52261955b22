--[[
quarto-refs.lua: cross-references under Quarto, in the built-in renderer's words and numbers.

Named in _quarto.yml (filters:, before Quarto's own). The built-in renderer numbers the
whole book (book.lua) and render_quarto passes the result as a JSON file
(metadata "book-refs": id -> {ref, number, numbered, file}). Every @fig-/@tbl-/@sec-
reference found there becomes the same text the built-in renderer writes: "kapittel 3",
"figur 1.2", "Vedlegg C" for @Sec-…, "[-@id]" the number alone, "[Prefiks @id]" a prefix
of your own. Without the metadata (a plain `quarto render`), references are left to
Quarto. Why: Quarto 1.10 writes a chapter reference in index.qmd as the chapter's title
("3 Anbefalinger …"), ignores @Sec- for chapters in HTML, and its Typst book adds a
period after chapter numbers ("kapittel 3."); one table of numbers avoids all three.
]]

local NBSP = "\u{a0}"

local function capitalise(text)
  return pandoc.text.upper(pandoc.text.sub(text, 1, 1)) .. pandoc.text.sub(text, 2)
end

local function read_refs(meta)
  local path = meta["book-refs"] and pandoc.utils.stringify(meta["book-refs"])
  if not path or path == "" then return nil end
  local file = io.open(path, "r")
  if not file then return nil end
  local data = file:read("a")
  file:close()
  return pandoc.json.decode(data, false)
end

local function link_target(target, id)
  -- Same page or PDF (one document): the anchor; another HTML page: its .qmd, which
  -- Quarto turns into the page's .html.
  local here = quarto.doc.input_file
  local there = pandoc.path.join({ quarto.project.directory, target.file })
  if not quarto.doc.is_format("html") or pandoc.path.normalize(here) == pandoc.path.normalize(there) then
    return "#" .. id
  end
  return pandoc.path.make_relative(there, pandoc.path.directory(here)) .. "#" .. id
end

local function resolve(refs, citation)
  local id = citation.id
  local capital = id:match("^%u") ~= nil
  local key = capital and (id:sub(1, 1):lower() .. id:sub(2)) or id
  local target = refs[key]
  if target == nil or not target.numbered or #citation.suffix > 0 then return nil end
  local text
  if citation.mode == "SuppressAuthor" then
    text = { pandoc.Str(target.number) }
  elseif #citation.prefix > 0 then
    text = citation.prefix:clone()
    text:insert(pandoc.Str(NBSP .. target.number))
  else
    local ref = capital and capitalise(target.ref) or target.ref
    text = { pandoc.Str(ref .. NBSP .. target.number) }
  end
  return pandoc.Link(text, link_target(target, key), "", { class = "quarto-xref" })
end

function Pandoc(doc)
  local refs = read_refs(doc.meta)
  if refs == nil then return nil end
  return doc:walk({
    Cite = function(cite)
      local out = pandoc.List {}
      for i, citation in ipairs(cite.citations) do
        local link = resolve(refs, citation)
        if link == nil then return nil end
        if i > 1 then out:extend({ pandoc.Str(","), pandoc.Space() }) end
        out:insert(link)
      end
      return out
    end,
  })
end
