package io.cutover.view;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** A parsed SVG or XHTML page, queried by XPath on local names (the documents use namespaces). */
final class SvgDom {

    private final Document document;

    private SvgDom(Document document) {
        this.document = document;
    }

    static SvgDom parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return new SvgDom(factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** Elements with this local name whose class attribute holds every one of {@code classes}. */
    List<Element> all(String element, String... classes) {
        StringBuilder xpath = new StringBuilder("//*[local-name()='" + element + "'");
        for (String c : classes) {
            xpath.append(" and contains(concat(' ', @class, ' '), ' ").append(c).append(" ')");
        }
        xpath.append(']');
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath.toString(), document, XPathConstants.NODESET);
            List<Element> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                out.add((Element) nodes.item(i));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Element one(String element, String... classes) {
        List<Element> found = all(element, classes);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + element + " " + String.join(".", classes) + ", found " + found.size());
        }
        return found.get(0);
    }

    static double number(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    /** The text of an element's {@code <title>} child. */
    static String title(Element e) {
        NodeList children = e.getElementsByTagNameNS("*", "title");
        return children.getLength() == 0 ? "" : children.item(0).getTextContent();
    }

    /** The vertices of a path made of M and L commands. */
    static List<double[]> vertices(Element path) {
        List<double[]> points = new ArrayList<>();
        String[] tokens = path.getAttribute("d").replace("Z", "").trim().split("\\s+");
        for (int i = 0; i + 1 < tokens.length; i += 2) {
            points.add(new double[] {Double.parseDouble(tokens[i].substring(1)), Double.parseDouble(tokens[i + 1])});
        }
        return points;
    }
}
